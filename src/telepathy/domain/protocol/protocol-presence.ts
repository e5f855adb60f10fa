/**
 * Protocol.Interface.Presence: the statuses an echo account can have, readable before connecting
 * (Mission Control maps a requested status it cannot find here to a nearby one).
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { statusesProperty } from '#telepathy/domain/connection/presence.js';

/** The one property of `org.freedesktop.Telepathy.Protocol.Interface.Presence`. */
export function protocolPresenceInterface(): BusInterface {
  return { methods: {}, properties: { Statuses: () => statusesProperty() } };
}
