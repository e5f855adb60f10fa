/** What crosses the simulated bus, recorded in one ordered log. */

export const PROPERTIES_IFACE = 'org.freedesktop.DBus.Properties';

/** Error names the simulated bus itself answers with, as dbus-next and dbus-daemon do. */
export const BusErrorNames = {
  /** Unknown object, interface or method (dbus-next answers all three this way). */
  UnknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  /** Properties calls naming an unknown object, interface or property, or writing one. */
  InvalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
  /** No connection owns the destination name. */
  ServiceUnknown: 'org.freedesktop.DBus.Error.ServiceUnknown',
  /** A handler failed with something other than a TelepathyError: no details reach the caller. */
  Failed: 'org.freedesktop.DBus.Error.Failed',
} as const;

export type BusEvent =
  | {
      readonly kind: 'call';
      readonly serial: number;
      readonly sender: string;
      readonly destination: string;
      readonly path: string;
      readonly interface: string;
      readonly member: string;
      readonly args: readonly unknown[];
    }
  | {
      readonly kind: 'reply';
      readonly replyTo: number;
      readonly sender: string;
      readonly destination: string;
      readonly values: readonly unknown[];
    }
  | {
      readonly kind: 'error';
      readonly replyTo: number;
      readonly sender: string;
      readonly destination: string;
      readonly name: string;
      readonly message: string;
    }
  | {
      readonly kind: 'signal';
      readonly sender: string;
      readonly path: string;
      readonly interface: string;
      readonly member: string;
      readonly args: readonly unknown[];
    }
  | { readonly kind: 'name-owner'; readonly name: string; readonly owner: string | null }
  | { readonly kind: 'vanished'; readonly client: string };

export type SignalEvent = Extract<BusEvent, { kind: 'signal' }>;

/** A D-Bus error reply as a caller sees it. */
export class BusCallError extends Error {
  constructor(
    readonly dbusName: string,
    readonly text: string,
  ) {
    super(`${dbusName}: ${text}`);
    this.name = 'BusCallError';
  }
}
