/**
 * The echo itself: what makes this connection manager an echo.
 * @module
 */
import type { OutgoingMessage, Party, PendingMessage } from '#telepathy/domain/channel/message.js';

/** Where the echo's message gets its numbers: the channel's next pending id and a fresh message-token. */
export interface EchoIds {
  /** The pending-message-id, unique in the channel. */
  readonly id: number;
  /** A message-token, unique in the connection. */
  readonly token: string;
}

/**
 * The contact's answer to a message the user sent at `sentAt`: the same type and text parts,
 * coming straight back from `contact` as a new received message, pending until acknowledged.
 */
export function echo(message: OutgoingMessage, contact: Party, sentAt: number, ids: EchoIds): PendingMessage {
  return {
    id: ids.id,
    sender: contact,
    received: sentAt,
    sent: sentAt,
    type: message.type,
    texts: message.texts,
    token: ids.token,
    rescued: false,
  };
}
