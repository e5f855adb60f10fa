/**
 * The contact id of an email address: what NormalizeContact answers and what channels compare.
 *
 * RFC 5321 §2.4 makes the domain case-insensitive and lets a server treat the local part as
 * case-sensitive, but asks senders not to rely on it, and no mainstream server does. A chat user
 * who types `Alice@Example.COM` expects the same conversation as the mail arriving from
 * `alice@example.com`, so both parts are lower-cased, except a quoted local part
 * (`"Alice Smith"@example.com`), whose content is kept exactly as written.
 * @module
 */

const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const quoted = /^"([^"\\\r\n]|\\[\x20-\x7e])*"$/;
const domainLabel = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * `raw` as a contact id (see the module's notes), or undefined when it is not one address:
 * surrounding spaces, a `mailto:` prefix and enclosing `<...>` are dropped first.
 */
export function normalizeContactAddress(raw: string): string | undefined {
  let text = raw.trim();
  if (/^mailto:/i.test(text)) text = text.slice('mailto:'.length);
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1);
  const at = text.lastIndexOf('@');
  if (at <= 0 || text.length > 254) return undefined;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1).toLowerCase();
  if (local.length > 64 || !validDomain(domain)) return undefined;
  if (quoted.test(local)) return `${local}@${domain}`;
  return atom.test(local) ? `${local.toLowerCase()}@${domain}` : undefined;
}

function validDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  if (/^\[[0-9a-f.:]+\]$/.test(domain)) return true; // an address literal such as [127.0.0.1]
  return domain.split('.').every((label) => label.length <= 63 && domainLabel.test(label));
}
