/**
 * The connection's channel manager: text channels by contact, requested through Requests.
 * @module
 */
import type { BusPort, Reply, Signal, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ReplyTiming } from '#telepathy/domain/clock/timer.port.js';
import { invalidArgument, notAvailable, notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import type { ContactHandles } from '#telepathy/domain/connection/handles.js';
import type { ChannelMessaging } from './channel-messaging.js';
import type { Party } from './message.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { TextChannel, type TextChannelHost } from './text-channel.js';
import { tv, typedEntry, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** What the channel manager needs from its connection. */
export interface TextChannelsHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The clock for message timestamps. */
  readonly clock: Clock;
  /** The user's own contact. */
  readonly self: Party;
  /** When the contact's answers arrive. */
  readonly replyTiming?: ReplyTiming | undefined;
  /** The connection's object path; channels live below it. */
  readonly path: string;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** A new message-token, unique in the connection. */
  nextToken(): string;
  /** Make a channel reachable and routed. */
  export(object: BusObject): void;
  /** Remove a channel from the bus and from routing. */
  unexport(path: string): void;
  /** A protocol's way of sending (the `email` one); absent: the echo. */
  readonly messaging?: ChannelMessaging;
  /** Throws NotAvailable when the connection holds as many channels as it may. */
  mayOpenChannel?(): void;
}

const CH = Iface.Channel;
const REQUESTABLE = new Set([`${CH}.ChannelType`, `${CH}.TargetHandleType`, `${CH}.TargetHandle`, `${CH}.TargetID`]);

/** The connection's channel manager: at most one live text channel per contact. */
export class TextChannels {
  private readonly live = new Map<number, TextChannel>();
  private serial = 0;
  private readonly channelHost: TextChannelHost;

  constructor(private readonly host: TextChannelsHost) {
    this.channelHost = {
      bus: host.bus,
      clock: host.clock,
      self: host.self,
      replyTiming: host.replyTiming,
      nextToken: () => host.nextToken(),
      close: (channel, destroy) => this.close(channel, destroy),
      ...(host.messaging ? { messaging: host.messaging } : {}),
    };
  }

  /** CreateChannel: a new channel or NotAvailable; NewChannels follows the reply. */
  create(request: VariantMap): Reply {
    const target = this.targetOf(request);
    if (this.live.has(target.handle)) throw notAvailable(`a text channel to ${target.id} already exists`);
    const channel = this.open(target);
    return { values: [channel.path, channel.immutableProperties()], after: this.announce(channel, true) };
  }

  /** EnsureChannel: the existing channel with Yours=false, or a new one as Create makes it. */
  ensure(request: VariantMap): Reply {
    const target = this.targetOf(request);
    const existing = this.live.get(target.handle);
    if (existing) return { values: [false, existing.path, existing.immutableProperties()] };
    const channel = this.open(target);
    return { values: [true, channel.path, channel.immutableProperties()], after: this.announce(channel, true) };
  }

  /** The old RequestChannel: like EnsureChannel, answering only the path; NotImplemented for anything but Text to a contact. */
  requestOld(type: string, handleType: number, handle: number, suppressHandler: boolean): Reply {
    if (type !== Iface.Text) throw notImplemented(`channel type ${type} is not supported`);
    if (handleType !== HandleType.Contact) throw notImplemented('only text channels to a contact are supported');
    const target = { handle, id: this.host.handles.inspect(handle) };
    const existing = this.live.get(handle);
    if (existing) return { values: [existing.path] };
    const channel = this.open(target);
    return { values: [channel.path], after: this.announce(channel, suppressHandler) };
  }

  /** The old ListChannels: (path, type, handle type, handle) of each live channel. */
  list(): [string, string, number, number][] {
    return [...this.live.values()].map((channel) => [channel.path, Iface.Text, HandleType.Contact, channel.target.handle]);
  }

  /** The Requests.Channels property: exactly the live channels. */
  channelsProperty(): TypedValue {
    return tv('a(oa{sv})', [...this.live.values()].map((channel) => [channel.path, channel.immutableProperties()]));
  }

  /** The live channel to `target`, or a new incoming one (Requested false, announced by NewChannels and NewChannel). */
  incoming(target: Party): TextChannel {
    const existing = this.live.get(target.handle);
    if (existing) return existing;
    const channel = this.open(target, false);
    for (const signal of this.announce(channel, false)) this.host.bus.emit(signal);
    return channel;
  }

  /** Messages waiting to be acknowledged on the live channel to `target` (0 without one). */
  pendingCount(target: Party): number {
    return this.live.get(target.handle)?.pendingCount ?? 0;
  }

  /** Close every channel for good (the connection is going away). */
  closeAll(): void {
    for (const channel of [...this.live.values()]) channel.close(true);
  }

  /** The number of live channels. */
  get count(): number {
    return this.live.size;
  }

  private open(target: Party, requested = true): TextChannel {
    if (requested) this.host.mayOpenChannel?.();
    const path = `${this.host.path}/TextChannel${++this.serial}`;
    const channel = new TextChannel(path, target, requested ? this.host.self : target, requested, this.channelHost);
    this.live.set(target.handle, channel);
    this.host.export(channel.busObject());
    return channel;
  }

  /** Closed, then ChannelClosed; a channel still holding messages comes back as a new incoming life. */
  private close(channel: TextChannel, destroy: boolean): void {
    const bus = this.host.bus;
    bus.emit(channel.signal(CH, 'Closed', []));
    bus.emit({ path: this.host.path, interface: Iface.Requests, member: 'ChannelClosed', args: [channel.path] });
    if (!destroy && channel.hasPendingMessages) {
      channel.respawn();
      for (const signal of this.announce(channel, false)) bus.emit(signal);
      return;
    }
    this.live.delete(channel.target.handle);
    this.host.unexport(channel.path);
  }

  /**
   * NewChannels, then the old NewChannel that the spec still requires after it; `suppressHandler`
   * tells old clients the requester handles the channel itself (false for incoming ones).
   */
  private announce(channel: TextChannel, suppressHandler: boolean): Signal[] {
    const from = (iface: string, member: string, args: unknown[]): Signal => ({ path: this.host.path, interface: iface, member, args });
    return [
      from(Iface.Requests, 'NewChannels', [[[channel.path, channel.immutableProperties()]]]),
      from(Iface.Connection, 'NewChannel', [channel.path, Iface.Text, HandleType.Contact, channel.target.handle, suppressHandler]),
    ];
  }

  /** Check a request against the one requestable class: Text to a contact, by handle or ID. */
  private targetOf(request: VariantMap): Party {
    const channelType = typedEntry(request, `${CH}.ChannelType`, 's');
    if (channelType === undefined) throw notImplemented('the request must name a ChannelType');
    if (channelType !== Iface.Text) throw notImplemented(`channel type ${String(channelType)} is not supported`);
    const handleType = typedEntry(request, `${CH}.TargetHandleType`, 'u');
    if (handleType !== HandleType.Contact) throw notImplemented('only text channels to a contact are supported');
    const unsupported = Object.keys(request).find((key) => !REQUESTABLE.has(key));
    if (unsupported !== undefined) throw notImplemented(`the property ${unsupported} cannot be requested`);
    const handle = typedEntry(request, `${CH}.TargetHandle`, 'u') as number | undefined;
    const id = typedEntry(request, `${CH}.TargetID`, 's') as string | undefined;
    const handles = this.host.handles;
    if (id !== undefined) {
      const byId = handles.ensure(id);
      if (handle !== undefined && handle !== byId) throw invalidArgument('TargetHandle and TargetID name different contacts');
      return { handle: byId, id: handles.inspect(byId) };
    }
    if (handle === undefined) throw invalidArgument('the request must name a TargetHandle or a TargetID');
    return { handle, id: handles.inspect(handle) };
  }
}
