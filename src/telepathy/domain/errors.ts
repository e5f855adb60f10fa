/** Errors the domain raises; a bus turns each into a D-Bus error reply named {@link TelepathyError.dbusName}. */

const TP = 'org.freedesktop.Telepathy.Error.';

/** The D-Bus error names the domain uses. */
export const ErrorNames = {
  NotImplemented: `${TP}NotImplemented`,
  InvalidArgument: `${TP}InvalidArgument`,
  NotAvailable: `${TP}NotAvailable`,
  InvalidHandle: `${TP}InvalidHandle`,
  Disconnected: `${TP}Disconnected`,
  NotCapable: `${TP}NotCapable`,
  /** What dbus-next answers for a call to a method, interface or object it does not export. */
  UnknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  /** What dbus-next answers for Properties calls naming an unknown interface or property. */
  InvalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
} as const;

export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

export class TelepathyError extends Error {
  constructor(
    readonly dbusName: ErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'TelepathyError';
  }
}

export const invalidArgument = (message: string) => new TelepathyError(ErrorNames.InvalidArgument, message);
export const notImplemented = (message: string) => new TelepathyError(ErrorNames.NotImplemented, message);
export const notAvailable = (message: string) => new TelepathyError(ErrorNames.NotAvailable, message);
export const invalidHandle = (message: string) => new TelepathyError(ErrorNames.InvalidHandle, message);
export const disconnected = (message: string) => new TelepathyError(ErrorNames.Disconnected, message);
