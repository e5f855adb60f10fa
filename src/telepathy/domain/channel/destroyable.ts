/**
 * Channel.Interface.Destroyable: closing for good, pending messages and all.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';

/** What the Destroyable interface needs from its channel. */
export interface DestroyableHost {
  /** Close (or, with `destroy`, Destroy) the channel. */
  close(destroy: boolean): Reply;
}

/** The one method of `org.freedesktop.Telepathy.Channel.Interface.Destroyable`. */
export function destroyableInterface(channel: DestroyableHost): BusInterface {
  return { methods: { Destroy: () => channel.close(true) }, properties: {} };
}
