/**
 * Errors the domain raises; a bus turns each into a D-Bus error reply named {@link TelepathyError.dbusName}.
 * @module
 */

const TP = 'org.freedesktop.Telepathy.Error.';

/** The D-Bus error names the domain uses. */
export const ErrorNames = {
  /** Not supported by cave: another protocol, another channel type or handle type. */
  NotImplemented: `${TP}NotImplemented`,
  /** A malformed or inconsistent argument. */
  InvalidArgument: `${TP}InvalidArgument`,
  /** Valid but impossible now: a second connection for an account, an existing channel. */
  NotAvailable: `${TP}NotAvailable`,
  /** A handle that does not name a contact. */
  InvalidHandle: `${TP}InvalidHandle`,
  /** The connection is not connected. */
  Disconnected: `${TP}Disconnected`,
  /** The connection cannot do this, e.g. set a presence that is not settable. */
  NotCapable: `${TP}NotCapable`,
  /** The thing named does not exist, e.g. a contact group to rename. */
  DoesNotExist: `${TP}DoesNotExist`,
  /** The user may not do this, e.g. remove someone else from a room. */
  PermissionDenied: `${TP}PermissionDenied`,
  /** The server refused the credentials (ConnectionError with reason Authentication_Failed). */
  AuthenticationFailed: `${TP}AuthenticationFailed`,
  /** The server could not be reached or dropped the connection (reason Network_Error). */
  NetworkError: `${TP}NetworkError`,
  /** What dbus-next answers for a call to a method, interface or object it does not export. */
  UnknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  /** What dbus-next answers for Properties calls naming an unknown interface or property. */
  InvalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
} as const;

/** One of {@link ErrorNames}. */
export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

/** A failure a client caused, answered with the D-Bus error `dbusName` and the message as its text. */
export class TelepathyError extends Error {
  constructor(
    /** The D-Bus error name the bus answers with. */
    readonly dbusName: ErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'TelepathyError';
  }
}

/** A {@link TelepathyError} named InvalidArgument. */
export const invalidArgument = (message: string) => new TelepathyError(ErrorNames.InvalidArgument, message);
/** A {@link TelepathyError} named NotImplemented. */
export const notImplemented = (message: string) => new TelepathyError(ErrorNames.NotImplemented, message);
/** A {@link TelepathyError} named NotAvailable. */
export const notAvailable = (message: string) => new TelepathyError(ErrorNames.NotAvailable, message);
/** A {@link TelepathyError} named InvalidHandle. */
export const invalidHandle = (message: string) => new TelepathyError(ErrorNames.InvalidHandle, message);
/** A {@link TelepathyError} named Disconnected. */
export const disconnected = (message: string) => new TelepathyError(ErrorNames.Disconnected, message);
/** A {@link TelepathyError} named DoesNotExist. */
export const doesNotExist = (message: string) => new TelepathyError(ErrorNames.DoesNotExist, message);
/** A {@link TelepathyError} named PermissionDenied. */
export const permissionDenied = (message: string) => new TelepathyError(ErrorNames.PermissionDenied, message);
