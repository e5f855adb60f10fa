/**
 * All of a connection's channel managers behind Requests: each request goes to the one whose
 * class it names (text to a contact, a room, a room list), and Channels lists them all.
 * @module
 */
import type { Reply, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { TextChannels, type TextChannelsHost } from '#telepathy/domain/channel/text-channels.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { oldChannelTuple } from '#telepathy/domain/room/announced-channels.js';
import { RoomChannels } from '#telepathy/domain/room/room-channels.js';
import { RoomLists } from '#telepathy/domain/room-list/room-lists.js';
import { tv, typedEntry, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { ContactHandles } from './handles.js';

/** What the channel managers need from their connection. */
export interface ConnectionChannelsHost extends TextChannelsHost {
  /** The connection's room handles. */
  readonly roomHandles: ContactHandles;
}

/** The connection's channel managers, as Requests and Disconnect see them. */
export class ConnectionChannels {
  /** Text channels to contacts. */
  readonly text: TextChannels;
  /** Echo rooms. */
  readonly rooms: RoomChannels;
  /** Room lists. */
  readonly roomLists: RoomLists;

  constructor(host: ConnectionChannelsHost) {
    this.text = new TextChannels(host);
    this.rooms = new RoomChannels(host);
    this.roomLists = new RoomLists(host);
  }

  /** CreateChannel, by the manager the request names. */
  create(request: VariantMap): Reply {
    return this.managerFor(request).create(request);
  }

  /** EnsureChannel, by the manager the request names. */
  ensure(request: VariantMap): Reply {
    return this.managerFor(request).ensure(request);
  }

  /** The Requests.Channels property: every live channel of every manager. */
  channelsProperty(): TypedValue {
    const text = this.text.channelsProperty().value as unknown[];
    return tv('a(oa{sv})', [...text, ...this.rooms.list(), ...this.roomLists.list()]);
  }

  /** The old ListChannels: (path, type, handle type, handle) of every live channel of every manager. */
  listOld(): [string, string, number, number][] {
    return [...this.text.list(), ...[...this.rooms.list(), ...this.roomLists.list()].map(([path, properties]) => oldChannelTuple(path, properties))];
  }

  /** The old RequestChannel: text channels to a contact only (NotImplemented otherwise). */
  requestOld(type: string, handleType: number, handle: number, suppressHandler: boolean): Reply {
    return this.text.requestOld(type, handleType, handle, suppressHandler);
  }

  /** Close every channel for good (the connection is going away). */
  closeAll(): void {
    this.text.closeAll();
    this.rooms.closeAll();
    this.roomLists.closeAll();
  }

  // Text channels check everything else themselves, with the errors the spec asks for.
  private managerFor(request: VariantMap): Pick<TextChannels, 'create' | 'ensure'> {
    const channelType = typedEntry(request, `${Iface.Channel}.ChannelType`, 's');
    if (channelType === Iface.RoomList) return this.roomLists;
    if (channelType === Iface.Text && typedEntry(request, `${Iface.Channel}.TargetHandleType`, 'u') === HandleType.Room) return this.rooms;
    return this.text;
  }
}
