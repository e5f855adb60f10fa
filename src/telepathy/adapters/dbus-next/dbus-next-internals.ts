import type { Duplex } from 'node:stream';
import dbus from 'dbus-next';

/**
 * The parts of dbus-next 0.10.2 we rely on that its `types.d.ts` leaves out or declares wrongly
 * (`Message.newError` takes the call message, not a string; the unique name and the stream
 * are not declared). One cast in one place instead of `any` spread around.
 */

export type Message = dbus.Message;

/** The members of a connected dbus-next bus that its type declarations leave out. */
export interface MessageBusInternals {
  /** Our unique name once connected, e.g. `:1.7`. */
  name: string | null;
  /** The underlying connection: its stream tells us the bus went away and lets us batch writes. */
  _connection: {
    /** The socket the bus messages travel over. */
    stream: Duplex & {
      /** Set on a usocket that passes unix fds: its writes take `{ data, fds }`. */
      supportsUnixFd?: boolean;
    };
  };
}

/** A dbus-next bus with the members its declarations leave out. */
export type MessageBus = dbus.MessageBus & MessageBusInternals;

/** `Message`'s static constructors, with the argument types dbus-next really takes. */
export interface MessageFactory {
  /** An error reply to a method call. */
  newError(call: Message, errorName: string, errorText?: string): Message;
  /** A successful reply to a method call. */
  newMethodReturn(call: Message, signature?: string, body?: unknown[]): Message;
  /** A signal emitted from an object path. */
  newSignal(path: string, iface: string, name: string, signature?: string, body?: unknown[]): Message;
}

/** dbus-next's `Message` class, seen through the correct declarations. */
export const messages = dbus.Message as unknown as MessageFactory;

/** The same bus, typed with the members dbus-next leaves undeclared. */
export function internals(bus: dbus.MessageBus): MessageBus {
  return bus as MessageBus;
}
