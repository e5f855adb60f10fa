import dbus from 'dbus-next';

/**
 * What a client sees when a handler fails. dbus-next forwards only `DBusError`s as they are;
 * any other thrown error reaches the caller as `com.github.dbus_next.ServiceError` carrying
 * the full stack trace. Every failure goes through {@link toDBusError} instead.
 */

const { DBusError } = dbus;
/** An error dbus-next sends back to the caller as a D-Bus error reply, name and text intact. */
export type DBusErrorInstance = InstanceType<typeof DBusError>;

/** The answer to a failure that is not the client's fault; its details stay in our log. */
export const internalErrorName = 'org.freedesktop.Telepathy.Error.NotAvailable';
const internalErrorText = 'telepathy-cave could not handle this request';

const errorNamePattern = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/;

/** The D-Bus error name a domain error carries, if it carries one. */
export function domainErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // The domain's TelepathyError names itself by its full D-Bus error name.
  for (const key of ['dbusName', 'errorName', 'name'] as const) {
    const value = (error as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.startsWith('org.freedesktop.') && errorNamePattern.test(value)) return value;
  }
  return undefined;
}

/** A reply error for anything a handler threw: named domain errors keep their name and text. */
export function toDBusError(error: unknown): DBusErrorInstance {
  if (error instanceof DBusError) return error;
  const name = domainErrorName(error);
  if (name !== undefined) return new DBusError(name, error instanceof Error ? error.message : '');
  return new DBusError(internalErrorName, internalErrorText);
}

/** An error's message for a one-line log, whatever was thrown. */
export function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
