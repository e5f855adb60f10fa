import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import type { ArgDefinition } from './interface-definitions.js';

/** What the adapter needs to know of a signal before it sends it. */
export interface SignalArgs {
  /** The interface of ours the signal is about (its own, or the one whose properties changed). */
  readonly about: string;
  /** The argument types, where the interface XML does not declare the signal. */
  readonly args?: readonly ArgDefinition[];
}

/**
 * Which of our interfaces a signal is about, and its arguments where the interface XML does not
 * declare them: PropertiesChanged is D-Bus's own signal (dbus-next answers Properties).
 */
export function signalArgs(signal: Signal): SignalArgs {
  if (signal.interface !== 'org.freedesktop.DBus.Properties' || signal.member !== 'PropertiesChanged') return { about: signal.interface };
  return { about: String(signal.args[0]), args: [{ type: 's' }, { type: 'a{sv}' }, { type: 'as' }] };
}

/** Throws: the interface XML declares no such signal. */
export function noSuchSignal(signal: Signal): never {
  throw new Error(`${signal.interface} has no signal ${signal.member}`);
}
