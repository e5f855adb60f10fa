/**
 * The connection's room manager: one echo room per room handle, joined through Requests.
 * @module
 */
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ReplyTiming } from '#telepathy/domain/clock/timer.port.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { ContactHandles } from '#telepathy/domain/connection/handles.js';
import { invalidArgument, notAvailable, notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { typedEntry, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { AnnouncedChannels, type AnnouncedChannelsHost } from './announced-channels.js';
import { ECHO_MEMBERS } from './echo-rooms.js';
import { RoomChannel, type RoomChannelHost } from './room-channel.js';

/** What the room manager needs from its connection. */
export interface RoomChannelsHost extends AnnouncedChannelsHost {
  /** The clock for timestamps. */
  readonly clock: Clock;
  /** The user. */
  readonly self: Party;
  /** The connection's contact handles (members are contacts). */
  readonly handles: ContactHandles;
  /** The connection's room handles. */
  readonly roomHandles: ContactHandles;
  /** When the members' echoes arrive. */
  readonly replyTiming?: ReplyTiming | undefined;
  /** A new message-token, unique in the connection. */
  nextToken(): string;
}

const CH = Iface.Channel;
const REQUESTABLE = new Set([`${CH}.ChannelType`, `${CH}.TargetHandleType`, `${CH}.TargetHandle`, `${CH}.TargetID`]);

/** At most one live room channel per room. */
export class RoomChannels {
  private readonly rooms: AnnouncedChannels<RoomChannel>;
  private readonly roomHost: RoomChannelHost;
  private serial = 0;

  constructor(private readonly host: RoomChannelsHost) {
    this.rooms = new AnnouncedChannels(host);
    this.roomHost = { ...host, nextToken: () => host.nextToken(), close: (room) => this.rooms.close(room) };
  }

  /** CreateChannel: join a room not joined yet; NotAvailable when already in it. */
  create(request: VariantMap): Reply {
    const target = this.targetOf(request);
    if (this.find(target)) throw notAvailable(`the room ${target.id} is already joined`);
    const room = this.newRoom(target);
    return { values: [room.path, room.immutableProperties()], after: this.announce(room) };
  }

  /** EnsureChannel: the joined room with Yours=false, or join it as Create does. */
  ensure(request: VariantMap): Reply {
    const target = this.targetOf(request);
    const existing = this.find(target);
    if (existing) return { values: [false, existing.path, existing.immutableProperties()] };
    const room = this.newRoom(target);
    return { values: [true, room.path, room.immutableProperties()], after: this.announce(room) };
  }

  /** The live rooms as Requests.Channels lists them. */
  list(): [string, VariantMap][] {
    return this.rooms.list();
  }

  /** Leave every room (the connection is going away). */
  closeAll(): void {
    for (const room of this.rooms.channels) room.flushReplies();
    this.rooms.closeAll();
  }

  private find(target: Party): RoomChannel | undefined {
    return this.rooms.channels.find((room) => room.target.handle === target.handle);
  }

  private newRoom(target: Party): RoomChannel {
    return new RoomChannel(`${this.host.path}/RoomChannel${++this.serial}`, target, this.roomHost);
  }

  /** NewChannels, then you and the echo members join: members arrive before any of their messages. */
  private announce(room: RoomChannel) {
    const members = ECHO_MEMBERS.map((id) => ({ handle: this.host.handles.ensure(id), id }));
    return [...this.rooms.open(room), ...room.join(members)];
  }

  /** Check a request against the room class: Text to a room, by handle or name. */
  private targetOf(request: VariantMap): Party {
    const unsupported = Object.keys(request).find((key) => !REQUESTABLE.has(key));
    if (unsupported !== undefined) throw notImplemented(`the property ${unsupported} cannot be requested for a room`);
    const handle = typedEntry(request, `${CH}.TargetHandle`, 'u') as number | undefined;
    const id = typedEntry(request, `${CH}.TargetID`, 's') as string | undefined;
    const rooms = this.host.roomHandles;
    if (id !== undefined) {
      const byId = rooms.ensure(id);
      if (handle !== undefined && handle !== byId) throw invalidArgument('TargetHandle and TargetID name different rooms');
      return { handle: byId, id: rooms.inspect(byId) };
    }
    if (handle === undefined) throw invalidArgument('the request must name a TargetHandle or a TargetID');
    return { handle, id: rooms.inspect(handle) };
  }
}
