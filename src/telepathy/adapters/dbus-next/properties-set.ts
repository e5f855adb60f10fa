/**
 * Properties.Set, answered by the adapter itself (dbus-next would answer twice, the second time
 * with a stack trace): the domain writes what the spec lets clients write; the rest is read-only.
 * @module
 */
import dbus from 'dbus-next';
import type { BusObjectHandler, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { internalErrorName, toDBusError } from './dbus-errors.js';
import { messages, type Message, type MessageBus } from './dbus-next-internals.js';
import type { InterfaceDefinition } from './interface-definitions.js';
import { bodyFromWire } from './wire-values.js';

const { DBusError } = dbus;
/** D-Bus's error for a property nobody has. */
export const INVALID_ARGS = 'org.freedesktop.DBus.Error.InvalidArgs';
const PROPERTY_READ_ONLY = 'org.freedesktop.DBus.Error.PropertyReadOnly';

/** What answering a Set needs from the adapter. */
export interface PropertySetContext {
  /** The connection to answer on. */
  readonly bus: MessageBus;
  /** The domain, once it serves. */
  readonly handler: BusObjectHandler | undefined;
  /** The interface an object exports under this name, if it does. */
  definition(iface: string): InterfaceDefinition | undefined;
  /** Debug log. */
  log(line: string): void;
  /** A failed write: a client's mistake is debug detail, anything else a problem. */
  failed(what: string, error: unknown): void;
}

/** Answer one `Set(ssv)` call: a reply, or InvalidArgs, PropertyReadOnly or the domain's error. */
export function answerPropertiesSet(message: Message, context: PropertySetContext): void {
  const { bus } = context;
  const [ifaceName, propertyName, value] = message.body as [string, string, unknown];
  const property = context.definition(ifaceName)?.properties.find((p) => p.name === propertyName);
  if (!property || property.access === 'read') {
    bus.send(messages.newError(message, property ? PROPERTY_READ_ONLY : INVALID_ARGS, property ? `${propertyName} is read-only` : `no property ${ifaceName}.${propertyName}`));
    return;
  }
  try {
    if (!context.handler?.setProperty) throw new DBusError(internalErrorName, 'telepathy-cave is starting');
    context.log(`set ${message.sender ?? ''} ${message.path} ${ifaceName}.${propertyName}`);
    context.handler.setProperty(message.path, ifaceName, propertyName, bodyFromWire('v', [value])[0] as TypedValue);
    bus.send(messages.newMethodReturn(message, '', []));
  } catch (error) {
    context.failed(`writing ${ifaceName}.${propertyName}`, error);
    const reply = toDBusError(error);
    bus.send(messages.newError(message, reply.type, reply.text));
  }
}
