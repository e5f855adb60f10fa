/**
 * The bookkeeping every channel manager shares: exporting a channel, announcing it with
 * NewChannels, closing it with Closed then ChannelClosed, and listing the live ones.
 * @module
 */
import type { BusPort, Signal } from '#telepathy/domain/bus/bus.port.js';
import type { BusObject } from '#telepathy/domain/bus/bus-object.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { VariantMap } from '#telepathy/domain/values/typed-values.js';

/** A channel as its manager sees it. */
export interface ManagedChannel {
  /** Its object path. */
  readonly path: string;
  /** Its immutable properties, fully qualified. */
  immutableProperties(): VariantMap;
  /** Its object, one builder per interface. */
  busObject(): BusObject;
}

/** What the bookkeeping needs from the connection. */
export interface AnnouncedChannelsHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The connection's object path, which announces its channels. */
  readonly path: string;
  /** Make a channel reachable and routed. */
  export(object: BusObject): void;
  /** Remove a channel from the bus and from routing. */
  unexport(path: string): void;
}

/** The live channels of one kind, by path. */
export class AnnouncedChannels<C extends ManagedChannel> {
  private readonly live = new Map<string, C>();

  constructor(private readonly host: AnnouncedChannelsHost) {}

  /** Every live channel, in the order they were opened. */
  get channels(): readonly C[] {
    return [...this.live.values()];
  }

  /**
   * Export a new channel; returns NewChannels, then the old NewChannel the spec still requires
   * after it (requested: Suppress_Handler true), which must follow the request's reply.
   */
  open(channel: C): Signal[] {
    this.live.set(channel.path, channel);
    this.host.export(channel.busObject());
    return [
      { path: this.host.path, interface: Iface.Requests, member: 'NewChannels', args: [[[channel.path, channel.immutableProperties()]]] },
      { path: this.host.path, interface: Iface.Connection, member: 'NewChannel', args: [...oldChannelTuple(channel.path, channel.immutableProperties()), true] },
    ];
  }

  /** Closed, then ChannelClosed, then the object leaves the bus. */
  close(channel: C): void {
    if (!this.live.delete(channel.path)) return;
    this.host.bus.emit({ path: channel.path, interface: Iface.Channel, member: 'Closed', args: [] });
    this.host.bus.emit({ path: this.host.path, interface: Iface.Requests, member: 'ChannelClosed', args: [channel.path] });
    this.host.unexport(channel.path);
  }

  /** Close every channel (the connection is going away). */
  closeAll(): void {
    for (const channel of this.channels) this.close(channel);
  }

  /** The live channels as Requests.Channels lists them. */
  list(): [string, VariantMap][] {
    return this.channels.map((channel) => [channel.path, channel.immutableProperties()]);
  }
}

/** A channel as the old Connection API names it: (path, channel type, handle type, handle). */
export function oldChannelTuple(path: string, properties: VariantMap): [string, string, number, number] {
  const ch = Iface.Channel;
  const value = (name: string) => properties[`${ch}.${name}`]?.value;
  return [path, String(value('ChannelType')), Number(value('TargetHandleType') ?? 0), Number(value('TargetHandle') ?? 0)];
}
