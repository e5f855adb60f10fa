/**
 * Messages as the Messages interface sees them: outgoing parts checked, echoes built as parts.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { MessageFlag, MessageType } from '#telepathy/domain/names/names.js';
import { chooseAlternatives, type ChosenPart } from './alternatives.js';
import { b, s, typedEntry, u, x, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** Types an echo channel accepts and produces; others (auto-reply, delivery report) are refused. */
export const SUPPORTED_MESSAGE_TYPES: readonly number[] = [MessageType.Normal, MessageType.Action, MessageType.Notice];
/** Content types an echo channel accepts and produces. */
export const SUPPORTED_CONTENT_TYPES: readonly string[] = ['text/plain'];

/** An outgoing message once checked: its type and its text parts, in order. */
export interface OutgoingMessage {
  /** A Channel_Text_Message_Type. */
  readonly type: number;
  /** The `text/plain` parts' contents. */
  readonly texts: readonly string[];
  /** The `text/html` alternative of the whole text, when the client sent one and the channel takes HTML. */
  readonly html?: string;
}

/** Someone's handle and identifier. */
export interface Party {
  /** The contact handle. */
  readonly handle: number;
  /** The normalised identifier. */
  readonly id: string;
}

/** A received message waiting to be acknowledged. */
export interface PendingMessage {
  /** The pending-message-id, unique in the channel. */
  readonly id: number;
  /** Who sent it (for an echo: the channel's contact). */
  readonly sender: Party;
  /** Seconds since the epoch. */
  readonly received: number;
  /** When it was sent, in seconds since the epoch. */
  readonly sent: number;
  /** A Channel_Text_Message_Type. */
  readonly type: number;
  /** Its text parts, in order. */
  readonly texts: readonly string[];
  /** Its message-token. */
  readonly token: string;
  /** Carried over from a previous life of the channel that was closed while it was pending. */
  readonly rescued: boolean;
  /** More header keys, e.g. a delivery report's `delivery-status` and `delivery-token` (delivery-reports.ts). */
  readonly header?: VariantMap;
}

/** The type, when an echo channel supports it; InvalidArgument otherwise. */
export function checkMessageType(type: number): number {
  if (!SUPPORTED_MESSAGE_TYPES.includes(type)) throw invalidArgument(`message type ${type} is not supported`);
  return type;
}

/** Whether a part has the content type `type` (any case). */
const hasType = (type: string) => (part: VariantMap): boolean => {
  const contentType = typedEntry(part, 'content-type', 's');
  return typeof contentType === 'string' && contentType.toLowerCase() === type;
};
/** Whether a part is text/plain (any case), the content type every channel needs. */
const isPlainText = hasType('text/plain');
const isHtml = hasType('text/html');

/** A chosen part's text; InvalidArgument when its content is not a string. */
function textContent(part: VariantMap, position: number): string {
  const content = typedEntry(part, 'content', 's');
  if (typeof content !== 'string') throw invalidArgument(`part ${position} has no text content`);
  return content;
}

/** The text/html version of the whole text: each piece's HTML alternative, when every piece has one. */
function htmlVersion(chosen: readonly ChosenPart[], body: readonly VariantMap[]): string | undefined {
  const html = chosen.map(({ group }) => group.find(isHtml));
  if (!html.every((part) => part !== undefined)) return undefined;
  return html.map((part) => textContent(part!, body.indexOf(part!) + 1)).join('');
}

/**
 * Check SendMessage's parts: a header, then text/plain parts. Parts sharing an `alternative` key
 * are one piece of text: its first text/plain part is kept (see alternatives.ts), and its text/html
 * part too when the channel supports HTML (`supported`: email does, the echo does not); the rest are
 * dropped, as the spec allows. A lone part or group with no text/plain (so HTML with no plain-text
 * alternative) is InvalidArgument, so every mail and echo has its text.
 */
export function parseOutgoing(parts: readonly VariantMap[], supported = SUPPORTED_CONTENT_TYPES): OutgoingMessage {
  const [header, ...body] = parts;
  if (header === undefined || body.length === 0) throw invalidArgument('a message needs a header part and a body part');
  const type = checkMessageType((typedEntry(header, 'message-type', 'u') as number | undefined) ?? MessageType.Normal);
  const chosen = chooseAlternatives(body, isPlainText);
  const texts = chosen.map(({ part, position }) => textContent(part, position));
  // An HTML version only when every piece has one: otherwise it would miss some of the text.
  const html = supported.includes('text/html') ? htmlVersion(chosen, body) : undefined;
  return html === undefined ? { type, texts } : { type, texts, html };
}

/** The whole text of a message, as the old Text API carries it. */
export const textOf = (texts: readonly string[]): string => texts.join('');

const bodyParts = (texts: readonly string[]): VariantMap[] =>
  texts.map((text) => ({ 'content-type': s('text/plain'), content: s(text) }));

/** An HTML message as sent: the HTML, then its plain text, as one group of alternatives. */
const alternativeParts = (html: string, texts: readonly string[]): VariantMap[] => [
  { 'content-type': s('text/html'), alternative: s('body'), content: s(html) },
  { 'content-type': s('text/plain'), alternative: s('body'), content: s(textOf(texts)) },
];

/** What MessageSent carries for a message we sent. */
export function sentParts(message: OutgoingMessage, sender: Party, sentAt: number, token: string): VariantMap[] {
  const header: VariantMap = {
    'message-type': u(message.type),
    'message-sender': u(sender.handle),
    'message-sender-id': s(sender.id),
    'message-sent': x(BigInt(sentAt)),
    'message-token': s(token),
  };
  return [header, ...(message.html === undefined ? bodyParts(message.texts) : alternativeParts(message.html, message.texts))];
}

/** What MessageReceived and PendingMessages carry for a pending message. */
export function receivedParts(message: PendingMessage): VariantMap[] {
  const header: VariantMap = {
    'pending-message-id': u(message.id),
    'message-sender': u(message.sender.handle),
    'message-sender-id': s(message.sender.id),
    'message-received': x(BigInt(message.received)),
    'message-sent': x(BigInt(message.sent)),
    'message-type': u(message.type),
    'message-token': s(message.token),
  };
  if (message.rescued) header['rescued'] = b(true);
  return [{ ...header, ...message.header }, ...bodyParts(message.texts)];
}

/** The old API's view: (id, timestamp, sender, type, flags, text). */
export function pendingTuple(message: PendingMessage): [number, number, number, number, number, string] {
  const flags = (message.rescued ? MessageFlag.Rescued : 0) | (message.type === MessageType.DeliveryReport ? MessageFlag.NonTextContent : 0);
  return [message.id, message.received, message.sender.handle, message.type, flags, textOf(message.texts)];
}
