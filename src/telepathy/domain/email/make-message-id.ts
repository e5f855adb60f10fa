/**
 * Message-IDs for the mail cave sends, from an injected random source (tests pass a fixed one).
 * @module
 */

/** `n` random bytes; the adapter passes `crypto.randomBytes`, tests a seeded generator. */
export type RandomBytes = (n: number) => Uint8Array;

/** A new angle-bracketed Message-ID in the account's domain, 128 random bits in hex. */
export function makeMessageId(random: RandomBytes, accountAddress: string): string {
  const hex = Array.from(random(16), (b) => b.toString(16).padStart(2, '0')).join('');
  const domain = accountAddress.slice(accountAddress.lastIndexOf('@') + 1) || 'cave.invalid';
  return `<${hex}.cave@${domain}>`;
}

/** Every angle-bracketed id in a References or In-Reply-To header, in order. */
export function messageIdsIn(header: string | undefined): string[] {
  return header ? (header.match(/<[^<>\s]+>/g) ?? []) : [];
}
