import { MailNetworkError, type MailNetworkErrorKind } from '#telepathy/domain/email/mail-network.port.js';

/** The fields of a mail library's error that decide its kind (nodemailer's and imapflow's). */
interface LibraryError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly authenticationFailed?: boolean;
  readonly message?: string;
}

const authCodes = new Set(['EAUTH', 'ENOAUTH']);

/** `text` with the password, and the base64 forms SASL PLAIN/LOGIN would carry it in, blotted out. */
export function redact(text: string, password: string, user: string): string {
  if (password.length === 0) return text;
  const forms = [password, Buffer.from(password).toString('base64'), Buffer.from(`\0${user}\0${password}`).toString('base64')];
  return forms.reduce((t, form) => t.split(form).join('[secret]'), text);
}

/**
 * A {@link MailNetworkError} for what a mail library threw while `doing` something. Only the
 * library's message goes along, redacted, never the error object (its fields can hold commands).
 */
export function mailNetworkError(
  error: unknown, doing: string, account: { password: string; user: string }, sending = false,
): MailNetworkError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as LibraryError;
  const code = e.responseCode;
  let kind: MailNetworkErrorKind = 'network-error';
  if (e.authenticationFailed || authCodes.has(e.code ?? '') || code === 535) kind = 'authentication-failed';
  else if (sending && code !== undefined && code >= 500 && code < 600) kind = 'permanently-refused';
  else if (sending && code !== undefined && code >= 400 && code < 500) kind = 'temporarily-refused';
  const detail = redact(String(e.message ?? error), account.password, account.user);
  return new MailNetworkError(kind, `${doing}: ${detail}`, code);
}
