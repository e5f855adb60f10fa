/**
 * Protocol.Interface.Addressing for `email`: address books name mail contacts by their vCard
 * EMAIL field and by `mailto:` URIs; both normalise to the contact id channels compare.
 * @module
 */
import { reply, type BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { invalidArgument, notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as } from '#telepathy/domain/values/typed-values.js';
import { normalizeContactAddress } from './normalize-contact-address.js';

/** The vCard field an address book keeps mail addresses in, lower-cased as the spec asks. */
export const EMAIL_VCARD_FIELD = 'email';
/** The URI scheme of a mail address (RFC 6068). */
export const MAILTO_SCHEME = 'mailto';

/** An EMAIL vCard address as a contact id; NotImplemented for another field, InvalidArgument for a bad address. */
export function normalizeVCardAddress(field: string, address: string): string {
  if (field.toLowerCase() !== EMAIL_VCARD_FIELD) throw notImplemented(`the ${field} vCard field does not address email contacts`);
  const normalized = normalizeContactAddress(address);
  if (normalized === undefined) throw invalidArgument(`${JSON.stringify(address)} is not an email address`);
  return normalized;
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined; // a stray % that starts no escape
  }
}

/**
 * A `mailto:` URI as `mailto:` and the one contact it names, without headers such as
 * `?subject=` (the spec's "extra information beyond what identifies the contact"). The address
 * is the path, or a single `to` header when the path is empty; more than one is not one contact.
 */
export function normalizeMailtoUri(uri: string): string {
  const colon = uri.indexOf(':');
  if (colon < 0 || uri.slice(0, colon).toLowerCase() !== MAILTO_SCHEME) throw notImplemented(`${JSON.stringify(uri)} is not a mailto: URI`);
  const [path = '', query = ''] = uri.slice(colon + 1).split('?', 2);
  const to = query.split('&').filter((h) => h.toLowerCase().startsWith('to=')).map((h) => h.slice(3));
  const addresses = [path, ...to].filter((a) => a !== '').flatMap((a) => a.split(','));
  const address = addresses.length === 1 ? decoded(addresses[0]!) : undefined;
  const normalized = address === undefined ? undefined : normalizeContactAddress(address);
  if (normalized === undefined) throw invalidArgument(`${JSON.stringify(uri)} does not name one email contact`);
  return `${MAILTO_SCHEME}:${normalized}`;
}

/** The methods and properties of `org.freedesktop.Telepathy.Protocol.Interface.Addressing` for `email`. */
export function emailAddressingInterface(): BusInterface {
  return {
    methods: {
      NormalizeVCardAddress: (call) => {
        const args = new Args(call.args);
        return reply(normalizeVCardAddress(args.string(0, 'VCard_Field'), args.string(1, 'VCard_Address')));
      },
      NormalizeContactURI: (call) => reply(normalizeMailtoUri(new Args(call.args).string(0, 'URI'))),
    },
    properties: {
      AddressableVCardFields: () => as([EMAIL_VCARD_FIELD]),
      AddressableURISchemes: () => as([MAILTO_SCHEME]),
    },
  };
}
