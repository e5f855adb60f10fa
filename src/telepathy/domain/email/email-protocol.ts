/**
 * The `email` protocol: chat with people who only use mail. Its parameters, its Protocol
 * object's properties, and how a connection of it reaches the mail network.
 * @module
 */
import { invalidHandle } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { CONNECTION_INTERFACES, requestableChannelClasses } from '#telepathy/domain/protocol/echo-protocol.js';
import type { Protocol } from '#telepathy/domain/protocol/protocol.js';
import { as, s, tv } from '#telepathy/domain/values/typed-values.js';
import { emailAddressingInterface } from './email-addressing.js';
import { accountAddress, EMAIL_PARAMETERS, parseEmailParameters } from './email-parameters.js';
import { MailConversations, type MailServices } from './mail-conversations.js';
import { normalizeContactAddress } from './normalize-contact-address.js';

/** The protocol's name. */
export const EMAIL_PROTOCOL_NAME = 'email';

/** An address as a contact id; InvalidHandle when it is not one address. */
export function normalizeEmailContact(id: string): string {
  const normalized = normalizeContactAddress(id);
  if (normalized === undefined) throw invalidHandle(`${JSON.stringify(id)} is not an email address`);
  return normalized;
}

/** The `email` protocol, reaching mail through `services`. */
export function emailProtocol(services: MailServices): Protocol {
  return {
    name: EMAIL_PROTOCOL_NAME,
    parameters: EMAIL_PARAMETERS,
    properties: () => ({
      Interfaces: as([Iface.ProtocolAddressing]),
      Parameters: tv('a(susv)', EMAIL_PARAMETERS.map((spec) => [...spec])),
      ConnectionInterfaces: as(CONNECTION_INTERFACES),
      RequestableChannelClasses: requestableChannelClasses(),
      VCardField: s('email'),
      EnglishName: s('Email'),
      Icon: s('internet-mail'),
      AuthenticationTypes: as([]),
    }),
    identify: accountAddress,
    normalizeContact: normalizeEmailContact,
    request: (parameters) => {
      const account = parseEmailParameters(parameters);
      return { account, behaviour: (connection) => new MailConversations(account.mail, services, connection) };
    },
    interfaces: { [Iface.ProtocolAddressing]: emailAddressingInterface() },
  };
}
