/**
 * The connection's room-list manager: RoomList channels, requested through Requests.
 * @module
 */
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { ContactHandles } from '#telepathy/domain/connection/handles.js';
import { notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { AnnouncedChannels, type AnnouncedChannelsHost } from '#telepathy/domain/room/announced-channels.js';
import { typedEntry, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { RoomListChannel, type RoomListChannelHost } from './room-list-channel.js';

/** What the room-list manager needs from its connection. */
export interface RoomListsHost extends AnnouncedChannelsHost {
  /** The user. */
  readonly self: Party;
  /** The connection's room handles. */
  readonly roomHandles: ContactHandles;
}

const CH = Iface.Channel;
const REQUESTABLE = new Set([`${CH}.ChannelType`, `${CH}.TargetHandleType`]);

/** RoomList channels: Create always makes a new one, Ensure reuses the first. */
export class RoomLists {
  private readonly lists: AnnouncedChannels<RoomListChannel>;
  private readonly listHost: RoomListChannelHost;
  private serial = 0;

  constructor(private readonly host: RoomListsHost) {
    this.lists = new AnnouncedChannels(host);
    this.listHost = { self: host.self, roomHandles: host.roomHandles, close: (list) => this.lists.close(list) };
  }

  /** CreateChannel: a new room list; NewChannels follows the reply. */
  create(request: VariantMap): Reply {
    check(request);
    const list = this.newList();
    return { values: [list.path, list.immutableProperties()], after: this.lists.open(list) };
  }

  /** EnsureChannel: the first live room list with Yours=false, or a new one. */
  ensure(request: VariantMap): Reply {
    check(request);
    const existing = this.lists.channels[0];
    if (existing) return { values: [false, existing.path, existing.immutableProperties()] };
    const list = this.newList();
    return { values: [true, list.path, list.immutableProperties()], after: this.lists.open(list) };
  }

  /** The live room lists as Requests.Channels lists them. */
  list(): [string, VariantMap][] {
    return this.lists.list();
  }

  /** Close every room list (the connection is going away). */
  closeAll(): void {
    this.lists.closeAll();
  }

  private newList(): RoomListChannel {
    return new RoomListChannel(`${this.host.path}/RoomListChannel${++this.serial}`, this.listHost);
  }
}

/** A room list has no target (TargetHandleType None, or left out) and no server to choose. */
function check(request: VariantMap): void {
  const unsupported = Object.keys(request).find((key) => !REQUESTABLE.has(key));
  if (unsupported !== undefined) throw notImplemented(`the property ${unsupported} cannot be requested for a room list`);
  const handleType = typedEntry(request, `${CH}.TargetHandleType`, 'u');
  if (handleType !== undefined && handleType !== HandleType.None) throw notImplemented('a room list has no target');
}
