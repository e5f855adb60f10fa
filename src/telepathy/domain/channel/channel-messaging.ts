/**
 * What sending on a text channel does, when it is not the echo: a protocol plugs its network in
 * here (the `email` protocol sends a mail and reports on its delivery later).
 * @module
 */
import type { OutgoingMessage, Party, PendingMessage } from './message.js';

/** A received message as a protocol hands it over; the channel gives it its id. */
export type ArrivingMessage = Omit<PendingMessage, 'id' | 'rescued'>;

/** The side of a channel a protocol's messaging sees. */
export interface MessagingChannel {
  /** The contact the conversation is with. */
  readonly target: Party;
  /** Queue a received message (or a delivery report) as pending and announce it. */
  receive(message: ArrivingMessage): void;
}

/** A protocol's way of sending, and what it does when messages are acknowledged. */
export interface ChannelMessaging {
  /** The channel's DeliveryReportingSupport flags. */
  readonly deliveryReportingSupport: number;
  /** The channel's SupportedContentTypes, when more than plain text (most preferred first). */
  readonly supportedContentTypes?: readonly string[];
  /** Send `message`, already announced by MessageSent with `token`; reports arrive later through `receive`. */
  send(channel: MessagingChannel, message: OutgoingMessage, token: string): void;
  /** The client acknowledged these messages: they need not be kept for another session. */
  acknowledged(messages: readonly PendingMessage[]): void;
}
