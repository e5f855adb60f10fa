/**
 * The `email` protocol's parameters: what an account needs to reach its IMAP and SMTP servers.
 * @module
 */
import type { ParamSpec } from '#telepathy/domain/protocol/echo-protocol.js';
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { ParamFlag } from '#telepathy/domain/names/names.js';
import { b, s, tv, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { MailAccount, MailServerEndpoint } from './mail-network.port.js';
import { normalizeContactAddress } from './normalize-contact-address.js';

const { Required, HasDefault, Secret } = ParamFlag;

/** Default ports: IMAP with TLS from the first byte, SMTP submission upgraded by STARTTLS. */
export const DEFAULT_IMAP_PORT = 993;
/** See {@link DEFAULT_IMAP_PORT}. */
export const DEFAULT_SMTP_PORT = 587;

/** Every parameter, as Param_Specs (name, flags, signature, default). */
export const EMAIL_PARAMETERS: readonly ParamSpec[] = [
  ['account', Required, 's', s('')],
  ['password', Required | Secret, 's', s('')],
  ['imap-server', 0, 's', s('')],
  ['imap-port', HasDefault, 'q', tv('q', DEFAULT_IMAP_PORT)],
  ['smtp-server', 0, 's', s('')],
  ['smtp-port', HasDefault, 'q', tv('q', DEFAULT_SMTP_PORT)],
  ['require-encryption', HasDefault, 'b', b(true)],
  ['imap-user', 0, 's', s('')],
  ['smtp-user', 0, 's', s('')],
];

/** The checked parameters: the account, and its normalised address (the account's identity). */
export interface EmailAccount {
  /** The address as given. */
  readonly account: string;
  /** The address as a contact id: it names the connection and its self contact. */
  readonly normalized: string;
  /** How to reach the servers. */
  readonly mail: MailAccount;
}

function value(parameters: VariantMap, name: string): unknown {
  const spec = EMAIL_PARAMETERS.find(([n]) => n === name)!;
  const given = parameters[name];
  if (given === undefined) return spec[3].value;
  // Clients may send a port as any unsigned integer type; the value decides.
  const sameKind = given.signature === spec[2] || (spec[2] === 'q' && ['u', 'i', 'n'].includes(given.signature));
  if (!sameKind) throw invalidArgument(`the ${name} parameter must have type ${spec[2]}, not ${given.signature}`);
  return given.value;
}

function port(parameters: VariantMap, name: string): number {
  const p = value(parameters, name);
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) throw invalidArgument(`${name} must be a port number`);
  return p;
}

/** The address as a contact id; InvalidArgument when it is not one address. */
export function accountAddress(parameters: VariantMap): Pick<EmailAccount, 'account' | 'normalized'> {
  const account = value(parameters, 'account') as string;
  const normalized = normalizeContactAddress(account);
  if (normalized === undefined) throw invalidArgument('the account parameter must be an email address');
  return { account, normalized };
}

/**
 * Check RequestConnection's parameters: unknown names and wrong types are refused; a missing
 * server defaults to the address's domain. The password is never put in an error message.
 */
export function parseEmailParameters(parameters: VariantMap): EmailAccount {
  const known = new Set(EMAIL_PARAMETERS.map(([name]) => name));
  const unknown = Object.keys(parameters).find((name) => !known.has(name));
  if (unknown !== undefined) throw invalidArgument(`unknown parameter ${JSON.stringify(unknown)} for protocol email`);
  for (const [name, flags] of EMAIL_PARAMETERS) {
    if (flags & Required && parameters[name] === undefined) throw invalidArgument(`the ${name} parameter is required`);
  }
  const { account, normalized } = accountAddress(parameters);
  const password = value(parameters, 'password') as string;
  if (password === '') throw invalidArgument('the password parameter cannot be empty');
  // Every session is encrypted (implicit TLS or STARTTLS required); there is no plain-text mode to allow.
  if (value(parameters, 'require-encryption') !== true) throw invalidArgument('unencrypted mail sessions are not supported');
  const domain = normalized.slice(normalized.lastIndexOf('@') + 1);
  const endpoint = (prefix: 'imap' | 'smtp', implicitPort: number): MailServerEndpoint => {
    const host = (value(parameters, `${prefix}-server`) as string) || domain;
    const p = port(parameters, `${prefix}-port`);
    const user = value(parameters, `${prefix}-user`) as string;
    return { host, port: p, tls: p === implicitPort ? 'implicit' : 'starttls', ...(user ? { user } : {}) };
  };
  return { account, normalized, mail: { address: normalized, password, imap: endpoint('imap', 993), smtp: endpoint('smtp', 465) } };
}
