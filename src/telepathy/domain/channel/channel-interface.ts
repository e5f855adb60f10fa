/**
 * The Channel interface itself: its immutable properties, Close, and the old getters.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { Party } from './message.js';

/** What the Channel interface needs from its channel. */
export interface ChannelInterfaceHost {
  /** The contact (or room) the conversation is with; handle 0 for none. */
  readonly target: Party;
  /** The interfaces the channel has besides Channel and its type. */
  readonly extraInterfaces: readonly string[];
  /** Properties that never change during one life, fully qualified. */
  immutableProperties(): VariantMap;
  /** Close (or, with `destroy`, Destroy) the channel. */
  close(destroy: boolean): Reply;
}

/** The methods and properties of `org.freedesktop.Telepathy.Channel`. */
export function channelInterface(channel: ChannelInterfaceHost): BusInterface {
  return {
    methods: {
      Close: () => channel.close(false),
      GetChannelType: () => reply(channel.immutableProperties()[`${Iface.Channel}.ChannelType`]!.value),
      GetHandle: () => reply(channel.immutableProperties()[`${Iface.Channel}.TargetHandleType`]!.value, channel.target.handle),
      GetInterfaces: () => reply([...channel.extraInterfaces]),
    },
    properties: unqualifiedProperties(channel, Iface.Channel),
  };
}

/** Getters for the immutable properties of one interface, by their unqualified names. */
export function unqualifiedProperties(channel: Pick<ChannelInterfaceHost, 'immutableProperties'>, iface: string): Record<string, () => TypedValue> {
  const props = channel.immutableProperties();
  const prefix = `${iface}.`;
  return Object.fromEntries(
    Object.keys(props)
      .filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('.'))
      .map((key) => [key.slice(prefix.length), () => channel.immutableProperties()[key]!]),
  );
}
