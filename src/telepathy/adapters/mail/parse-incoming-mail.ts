import { simpleParser, type AddressObject } from 'mailparser';
import type { IncomingMail } from '#telepathy/domain/email/mail-network.port.js';

function firstAddress(from: AddressObject | AddressObject[] | undefined): string {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  return list.flatMap((a) => a.value).find((v) => v.address)?.address ?? '';
}

function ids(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
}

/**
 * Decode a raw mail from IMAP: sender, threading headers, text (mailparser turns HTML-only mail
 * into text), and for a delivery status notification its status and returned headers.
 */
export async function parseIncomingMail(uid: number, source: Buffer, arrivedAt: number): Promise<IncomingMail> {
  // keepDeliveryStatus: otherwise mailparser folds a DSN's status part into the text, out of reach.
  const parsed = await simpleParser(source, { skipImageLinks: true, keepDeliveryStatus: true });
  const part = (types: string[]) => parsed.attachments.find((a) => types.includes(a.contentType))?.content.toString('utf8');
  const deliveryStatus = part(['message/delivery-status', 'message/global-delivery-status']);
  const returnedHeaders = part(['text/rfc822-headers', 'message/rfc822', 'message/global-headers']);
  return {
    uid,
    from: firstAddress(parsed.from),
    subject: parsed.subject ?? '',
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
    references: ids(parsed.references),
    sentAt: parsed.date?.getTime() ?? arrivedAt,
    text: parsed.text ?? '',
    ...(deliveryStatus ? { deliveryStatus } : {}),
    ...(returnedHeaders ? { returnedHeaders } : {}),
  };
}
