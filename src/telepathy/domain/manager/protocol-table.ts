/**
 * The one place that lists the protocols cave offers.
 * @module
 */
import { emailProtocol } from '#telepathy/domain/email/email-protocol.js';
import type { MailServices } from '#telepathy/domain/email/mail-conversations.js';
import { ECHO_PROTOCOL } from '#telepathy/domain/protocol/echo-protocol-object.js';
import type { Protocol } from '#telepathy/domain/protocol/protocol.js';

/** Every protocol by name, in the order ListProtocols gives them; `email` only with a mail network. */
export function protocolTable(mail: MailServices | undefined): ReadonlyMap<string, Protocol> {
  const protocols = [ECHO_PROTOCOL, ...(mail ? [emailProtocol(mail)] : [])];
  return new Map(protocols.map((protocol) => [protocol.name, protocol]));
}
