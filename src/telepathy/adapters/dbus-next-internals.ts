import type { Duplex } from 'node:stream';
import dbus from 'dbus-next';

/**
 * The parts of dbus-next 0.10.2 we rely on that its `types.d.ts` leaves out or declares wrongly
 * (`Message.newError` takes the call message, not a string; the unique name and the stream
 * are not declared). One cast in one place instead of `any` spread around.
 */

export type Message = dbus.Message;

export interface MessageBusInternals {
  /** Our unique name once connected, e.g. `:1.7`. */
  name: string | null;
  _connection: { stream: Duplex };
}

export type MessageBus = dbus.MessageBus & MessageBusInternals;

export interface MessageFactory {
  newError(call: Message, errorName: string, errorText?: string): Message;
  newMethodReturn(call: Message, signature?: string, body?: unknown[]): Message;
  newSignal(path: string, iface: string, name: string, signature?: string, body?: unknown[]): Message;
}

export const messages = dbus.Message as unknown as MessageFactory;

export function internals(bus: dbus.MessageBus): MessageBus {
  return bus as MessageBus;
}
