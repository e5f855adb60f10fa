/**
 * Channel.Type.RoomList: a channel that lists the echo server's rooms. The echo server answers
 * at once, so one ListRooms is ListingRooms(true), GotRooms, ListingRooms(false).
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { channelInterface, unqualifiedProperties } from '#telepathy/domain/channel/channel-interface.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { ContactHandles } from '#telepathy/domain/connection/handles.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { ECHO_MEMBERS, ECHO_ROOMS } from '#telepathy/domain/room/echo-rooms.js';
import { as, b, s, u, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** What a room list needs from its connection. */
export interface RoomListChannelHost {
  /** The user, who asked for the list. */
  readonly self: Party;
  /** The connection's room handles: each listed room has one. */
  readonly roomHandles: ContactHandles;
  /** Close the channel: Closed, ChannelClosed, and it leaves the bus. */
  close(channel: RoomListChannel): void;
}

/** No target: a room list is about the whole server. */
const NO_TARGET: Party = { handle: 0, id: '' };

/** One room list channel. */
export class RoomListChannel {
  /** A room list has no target. */
  readonly target = NO_TARGET;
  /** It has no interfaces besides Channel and its type. */
  readonly extraInterfaces: readonly string[] = [];

  constructor(
    /** The channel's object path. */
    readonly path: string,
    private readonly host: RoomListChannelHost,
  ) {}

  /** Its immutable properties: no target, and the (empty: echo rooms have no server) Server. */
  immutableProperties(): VariantMap {
    const ch = Iface.Channel;
    return {
      [`${ch}.ChannelType`]: s(Iface.RoomList),
      [`${ch}.Interfaces`]: as([]),
      [`${ch}.TargetHandleType`]: u(HandleType.None),
      [`${ch}.TargetHandle`]: u(0),
      [`${ch}.TargetID`]: s(''),
      [`${ch}.InitiatorHandle`]: u(this.host.self.handle),
      [`${ch}.InitiatorID`]: s(this.host.self.id),
      [`${ch}.Requested`]: b(true),
      [`${Iface.RoomList}.Server`]: s(''),
    };
  }

  /** The channel object: Channel and Type.RoomList. */
  busObject(): BusObject {
    return busObjectOf(this.path, { [Iface.Channel]: channelInterface(this), [Iface.RoomList]: roomListInterface(this) });
  }

  /** Close the channel. */
  close(): Reply {
    this.host.close(this);
    return reply();
  }

  /** The listed rooms as GotRooms carries them: (room handle, channel type, info). */
  rooms(): [number, string, VariantMap][] {
    return ECHO_ROOMS.map((room) => [
      this.host.roomHandles.ensure(room.name),
      Iface.Text,
      {
        'handle-name': s(room.name),
        'room-id': s(room.name),
        server: s(''),
        description: s(room.description),
        subject: s(room.subject),
        members: u(ECHO_MEMBERS.length),
        password: b(false),
        'invite-only': b(false),
      },
    ]);
  }

  /** A signal from this channel. */
  signal(member: string, args: unknown[]): Signal {
    return { path: this.path, interface: Iface.RoomList, member, args };
  }
}

/** The methods and properties of `org.freedesktop.Telepathy.Channel.Type.RoomList`. */
export function roomListInterface(list: RoomListChannel): BusInterface {
  return {
    methods: {
      // The whole listing follows the reply: the spec orders ListingRooms(true) after ListRooms is accepted.
      ListRooms: () => ({
        values: [],
        after: [list.signal('ListingRooms', [true]), list.signal('GotRooms', [list.rooms()]), list.signal('ListingRooms', [false])],
      }),
      // A listing is over before anyone can ask to stop it: nothing to stop.
      StopListing: () => reply(),
      GetListingRooms: () => reply(false),
    },
    properties: unqualifiedProperties(list, Iface.RoomList),
  };
}
