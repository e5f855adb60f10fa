/**
 * Delivery reports for mail: what the SMTP server said, or what a bounce said later, as the
 * Messages interface carries it (a received message of type Delivery_Report).
 * @module
 */
import type { ArrivingMessage } from '#telepathy/domain/channel/channel-messaging.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { MessageType } from '#telepathy/domain/names/names.js';
import { s, u } from '#telepathy/domain/values/typed-values.js';

/** Delivery_Status values a mail can get. */
export const DeliveryStatus = {
  /** It may still arrive: the server will retry (4xx, a `delayed` DSN). */
  TemporarilyFailed: 2,
  /** It will never arrive (5xx, a `failed` DSN). */
  PermanentlyFailed: 3,
  /** The SMTP server took it: on its way, not yet in the contact's mailbox. */
  Accepted: 4,
} as const;

/** Delivery_Reporting_Support_Flags of a mail channel: failures and acceptance are both reported. */
export const MAIL_DELIVERY_REPORTING = 1 | 2;

/** Channel_Text_Send_Error: cave cannot tell why a server refused, beyond the text it gave. */
const SEND_ERROR_UNKNOWN = 0;

/** A report on the message sent with `token`, to `contact`, at `now` (seconds); `why` for failures. */
export function deliveryReport(
  contact: Party, token: string, status: number, now: number, why?: string,
): ArrivingMessage {
  const failed = status !== DeliveryStatus.Accepted;
  return {
    sender: contact,
    received: now,
    sent: now,
    type: MessageType.DeliveryReport,
    texts: failed && why ? [why] : [],
    token: `${token}/report/${status}`,
    header: {
      'delivery-status': u(status),
      'delivery-token': s(token),
      ...(failed ? { 'delivery-error': u(SEND_ERROR_UNKNOWN), 'delivery-dbus-error': s(ErrorNames.NotAvailable) } : {}),
    },
  };
}
