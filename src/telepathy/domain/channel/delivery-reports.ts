/**
 * Delivery reports (Channel.Interface.Messages, "Delivery reports"): messages of type
 * Delivery_Report from the recipient, about a message the user sent, pending until acknowledged.
 * @module
 */
import { MessageType } from '#telepathy/domain/names/names.js';
import { s, tv, u, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { Party, PendingMessage } from './message.js';

/** Message_Sending_Flags: ask for a report of successful delivery. */
export const REPORT_DELIVERY = 1;
/** Delivery_Reporting_Support_Flags: Receive_Failures | Receive_Successes. */
export const DELIVERY_REPORTING_SUPPORT = 1 | 2;
/** Delivery_Status values cave reports. */
export const DeliveryStatus = {
  /** The recipient got the message. */
  Delivered: 1,
  /** It will never get it. */
  PermanentlyFailed: 3,
} as const;
/** Channel_Text_Send_Error: the contact cannot receive messages (the old SendError's reason too). */
export const SEND_ERROR_INVALID_CONTACT = 2;

/** What a report is about: the sent message's parts (as MessageSent carried them) and token. */
export interface ReportedMessage {
  /** The parts of the sent message, header first. */
  readonly parts: readonly VariantMap[];
  /** Its message-token, which the report names as its delivery-token. */
  readonly token: string;
}

/** Where the report gets its numbers and time, as an echo does. */
export interface ReportIds {
  /** The pending-message-id. */
  readonly id: number;
  /** The report's own message-token. */
  readonly token: string;
  /** Seconds since the epoch. */
  readonly at: number;
}

/**
 * A report from `recipient` about `message`: Delivered, or Permanently_Failed with the reason and
 * the original message as `delivery-echo` (so a client can show what failed). No body parts.
 */
export function deliveryReport(delivered: boolean, message: ReportedMessage, recipient: Party, ids: ReportIds): PendingMessage {
  const header: VariantMap = {
    'delivery-status': u(delivered ? DeliveryStatus.Delivered : DeliveryStatus.PermanentlyFailed),
    'delivery-token': s(message.token),
  };
  if (!delivered) {
    header['delivery-error'] = u(SEND_ERROR_INVALID_CONTACT);
    header['delivery-error-message'] = s(`${recipient.id} cannot receive messages`);
    header['delivery-echo'] = tv('aa{sv}', message.parts.map((part) => ({ ...part })));
  }
  return { id: ids.id, sender: recipient, received: ids.at, sent: ids.at, type: MessageType.DeliveryReport, texts: [], token: ids.token, rescued: false, header };
}
