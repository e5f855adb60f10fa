/**
 * How much one client can make the daemon hold: every bound in one place. Past a count bound the
 * call fails with NotAvailable (acknowledging, closing or disconnecting makes room again); a
 * message or identifier past its size bound is refused as the spec's malformed input.
 * @module
 */
import { invalidArgument, invalidHandle, notAvailable } from '#telepathy/domain/errors/telepathy-error.js';

/** The bounds; docs/reliability.md lists them with the worst case they allow. */
export const Limits = {
  /** Connections one connection manager holds at once (a user has a few accounts). */
  connectionsPerManager: 32,
  /** Live channels of one connection: text, rooms and room lists together. */
  channelsPerConnection: 1_000,
  /** Handles of one connection, per handle type (contacts, rooms); handles are immortal. */
  handlesPerConnection: 10_000,
  /** Characters in a contact identifier or room name. */
  identifierLength: 1_024,
  /** Contacts on one connection's roster. */
  rosterContacts: 2_000,
  /** Received messages one channel keeps until they are acknowledged. */
  pendingMessagesPerChannel: 1_000,
  /** Body parts of one message. */
  messageParts: 16,
  /** Characters of text in one message, all parts together. */
  messageLength: 65_536,
  /** Mails an `email` connection remembers having sent, to match a bounce to its message (the most recent). */
  sentMailsRemembered: 1_000,
} as const;

/** NotAvailable when `count` more of `what` would pass `limit` (`used` are held already). */
export function ensureRoom(used: number, count: number, limit: number, what: string): void {
  if (used + count > limit) throw notAvailable(`at most ${limit} ${what}; ${used} are in use`);
}

/** InvalidHandle for an identifier longer than {@link Limits.identifierLength}. */
export function checkIdentifierLength(id: string): void {
  if (id.length > Limits.identifierLength) throw invalidHandle(`an identifier has at most ${Limits.identifierLength} characters`);
}

/** InvalidArgument for a message with too many parts or too much text. */
export function checkMessageSize(texts: readonly string[]): void {
  if (texts.length > Limits.messageParts) throw invalidArgument(`a message has at most ${Limits.messageParts} body parts`);
  const length = texts.reduce((sum, text) => sum + text.length, 0);
  if (length > Limits.messageLength) throw invalidArgument(`a message has at most ${Limits.messageLength} characters`);
}
