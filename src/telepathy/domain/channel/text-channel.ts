/**
 * A text channel to one contact: both sending APIs, the pending queue, Close and Destroy.
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import { unixSeconds, type Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ReplyTiming } from '#telepathy/domain/clock/timer.port.js';
import { echo } from '#telepathy/domain/echo/echo.js';
import { alwaysFails, isSlow, SLOW_ECHO_MS } from '#telepathy/domain/echo/echo-contacts.js';
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { checkMessageSize, ensureRoom, Limits } from '#telepathy/domain/limits/limits.js';
import { HandleType, Iface, MessageType } from '#telepathy/domain/names/names.js';
import { as, au, b, s, u, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { ArrivingMessage, ChannelMessaging, MessagingChannel } from './channel-messaging.js';
import { channelInterface } from './channel-interface.js';
import { destroyableInterface } from './destroyable.js';
import {
  pendingTuple,
  receivedParts,
  sentParts,
  SUPPORTED_CONTENT_TYPES,
  SUPPORTED_MESSAGE_TYPES,
  textOf,
  type OutgoingMessage,
  type Party,
  type PendingMessage,
} from './message.js';
import { messagesInterface } from './messages.js';
import { chatStateInterface, ChatStates } from './chat-state.js';
import { ContactReplies } from './contact-replies.js';
import { DELIVERY_REPORTING_SUPPORT, deliveryReport, REPORT_DELIVERY, SEND_ERROR_INVALID_CONTACT, type ReportedMessage } from './delivery-reports.js';
import { typeTextInterface } from './type-text.js';

/** What a channel needs from the connection that owns it. */
export interface TextChannelHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The clock for message timestamps. */
  readonly clock: Clock;
  /** The user's own contact, the sender of outgoing messages. */
  readonly self: Party;
  /** When the contact's answers arrive; without it, right after the reply to SendMessage. */
  readonly replyTiming?: ReplyTiming | undefined;
  /** A new message-token, unique in the connection. */
  nextToken(): string;
  /** End this life of the channel; `destroy` drops pending messages so it cannot respawn. */
  close(channel: TextChannel, destroy: boolean): void;
  /** Who echoes a message, in order; the channel's contact when absent (a room: each member). */
  echoers?(): readonly Party[];
  /** A protocol's way of sending (the `email` one); absent: the echo. */
  readonly messaging?: ChannelMessaging;
}

const CHANNEL_INTERFACES = [Iface.Messages, Iface.Destroyable, Iface.ChatState];

/** How long a contact takes to answer, when not the usual delay. */
const answerDelay = (contact: Party): number | undefined => (isSlow(contact.id) ? SLOW_ECHO_MS : undefined);
/** Echo channels offer no attachments. */
const MESSAGE_PART_SUPPORT_FLAGS = 0;

/** A text channel to one contact: both sending APIs, the pending queue, Close and Destroy. */
export class TextChannel implements MessagingChannel {
  private pending: PendingMessage[] = [];
  private nextPendingId = 1;
  private readonly replies: ContactReplies;
  private readonly chat = new ChatStates((iface, member, args) => this.signal(iface, member, args));

  constructor(
    /** The channel's object path. */
    readonly path: string,
    /** The contact the conversation is with. */
    readonly target: Party,
    private initiator: Party,
    private requested: boolean,
    private readonly host: TextChannelHost,
  ) {
    this.replies = new ContactReplies(host.replyTiming, (signal) => host.bus.emit(signal));
  }

  /** Whether received messages wait to be acknowledged (then Close makes the channel come back). */
  get hasPendingMessages(): boolean {
    return this.pending.length > 0;
  }

  /** How many received messages wait to be acknowledged. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Start a new life after a Close with messages pending: now an incoming channel from the contact. */
  respawn(): void {
    this.requested = false;
    this.initiator = this.target;
    this.chat.clear();
    this.pending = this.pending.map((message) => ({ ...message, rescued: true }));
  }

  /** Properties that never change during one life, fully qualified, as Requests announces them. */
  immutableProperties(): VariantMap {
    const ch = Iface.Channel;
    const msg = Iface.Messages;
    return {
      [`${ch}.ChannelType`]: s(Iface.Text),
      [`${ch}.Interfaces`]: as(CHANNEL_INTERFACES),
      [`${ch}.TargetHandleType`]: u(HandleType.Contact),
      [`${ch}.TargetHandle`]: u(this.target.handle),
      [`${ch}.TargetID`]: s(this.target.id),
      [`${ch}.InitiatorHandle`]: u(this.initiator.handle),
      [`${ch}.InitiatorID`]: s(this.initiator.id),
      [`${ch}.Requested`]: b(this.requested),
      [`${msg}.SupportedContentTypes`]: as(this.supportedContentTypes()),
      [`${msg}.MessageTypes`]: au(SUPPORTED_MESSAGE_TYPES),
      [`${msg}.MessagePartSupportFlags`]: u(MESSAGE_PART_SUPPORT_FLAGS),
      [`${msg}.DeliveryReportingSupport`]: u(this.host.messaging?.deliveryReportingSupport ?? DELIVERY_REPORTING_SUPPORT),
    };
  }

  /** The content types it can send: the protocol's, or the echo's text/plain. */
  supportedContentTypes(): readonly string[] {
    return this.host.messaging?.supportedContentTypes ?? SUPPORTED_CONTENT_TYPES;
  }

  /** The interfaces the channel has besides Channel and Type.Text. */
  get extraInterfaces(): readonly string[] {
    return CHANNEL_INTERFACES;
  }

  /** The channel object: one builder per D-Bus interface, as telepathy-glib's `*_iface_init`. */
  busObject(): BusObject {
    return busObjectOf(this.path, {
      [Iface.Channel]: channelInterface(this),
      [Iface.Text]: typeTextInterface(this),
      [Iface.Messages]: messagesInterface(this),
      [Iface.Destroyable]: destroyableInterface(this),
      [Iface.ChatState]: chatStateInterface(this),
    });
  }

  /** Every pending message, as parts (the PendingMessages property). */
  pendingParts(): VariantMap[][] {
    return this.pending.map(receivedParts);
  }

  /** Deliver every answer still on its way at once, in order (the channel is about to close). */
  flushReplies(): void {
    this.replies.flush();
  }

  /** Close the channel, or with `destroy` drop its pending messages first so it cannot respawn. */
  close(destroy: boolean): Reply {
    this.replies.flush();
    if (destroy) this.pending = [];
    this.host.close(this, destroy);
    return reply();
  }

  /**
   * Sending succeeds at once: the reply, then MessageSent/Sent; each echoer's echo comes back
   * later as a message of its own, as a real contact's reply would (see {@link ContactReplies}).
   * A protocol with its own messaging (the `email` one) sends instead, with neither echo nor delay.
   */
  send(message: OutgoingMessage, replyValues: (token: string) => unknown[], flags = 0): Reply {
    checkMessageSize(message.texts);
    const sentAt = unixSeconds(this.host.clock);
    const echoers = this.host.echoers?.() ?? [this.target];
    // Refused rather than dropped: the user sees the echo could not be queued, and may acknowledge.
    // Echoes still on their way count: each becomes a pending message when it arrives.
    const queued = this.pending.length + this.replies.size;
    if (!this.host.messaging) ensureRoom(queued, echoers.length, Limits.pendingMessagesPerChannel, 'pending messages');
    const token = this.host.nextToken();
    if (this.host.messaging) return this.sendBy(this.host.messaging, message, sentAt, token, replyValues(token));
    const parts = sentParts(message, this.host.self, sentAt, token);
    const after: Signal[] = [
      this.signal(Iface.Messages, 'MessageSent', [parts, flags & REPORT_DELIVERY, token]),
      this.signal(Iface.Text, 'Sent', [sentAt, message.type, textOf(message.texts)]),
      // One report at most per message: the first echoer's answer carries it.
      ...echoers.flatMap((from, i) => this.replies.later(() => this.answer(from, message, { parts, token }, i === 0 ? flags : 0, sentAt), answerDelay(from))),
    ];
    return { values: replyValues(token), after };
  }

  /** MessageSent and Sent after the reply; the protocol's messaging takes it from there. */
  private sendBy(messaging: ChannelMessaging, message: OutgoingMessage, sentAt: number, token: string, values: unknown[]): Reply {
    messaging.send(this, message, token);
    const after: Signal[] = [
      this.signal(Iface.Messages, 'MessageSent', [sentParts(message, this.host.self, sentAt, token), 0, token]),
      this.signal(Iface.Text, 'Sent', [sentAt, message.type, textOf(message.texts)]),
    ];
    return { values, after };
  }

  /**
   * What an echoer sends back: a failure report (and the old SendError) from a contact that
   * cannot receive; otherwise a Delivered report when asked for, then the echo.
   */
  private answer(from: Party, message: OutgoingMessage, sent: ReportedMessage, flags: number, sentAt: number): Signal[] {
    const report = (delivered: boolean) =>
      this.arrive(deliveryReport(delivered, sent, from, { id: this.nextPendingId++, token: this.host.nextToken(), at: unixSeconds(this.host.clock) }));
    if (alwaysFails(from.id)) {
      return [...report(false), this.signal(Iface.Text, 'SendError', [SEND_ERROR_INVALID_CONTACT, sentAt, message.type, textOf(message.texts)])];
    }
    const delivered = flags & REPORT_DELIVERY ? report(true) : [];
    return [...delivered, ...this.chat.sends(from.handle), ...this.arrive(echo(message, from, sentAt, { id: this.nextPendingId++, token: this.host.nextToken() }))];
  }

  /** A message from the contact arrives: it waits to be acknowledged; both APIs announce it (the old one only when `oldApi`). */
  private arrive(message: PendingMessage, oldApi = true): Signal[] {
    this.pending.push(message);
    const received = this.signal(Iface.Messages, 'MessageReceived', [receivedParts(message)]);
    return oldApi ? [received, this.signal(Iface.Text, 'Received', pendingTuple(message))] : [received];
  }

  /** A protocol's messaging hands over a message (or a delivery report, which is not for the old Text API): queued and announced now. */
  receive(message: ArrivingMessage): void {
    const pending: PendingMessage = { ...message, id: this.nextPendingId++, rescued: false };
    for (const signal of this.arrive(pending, pending.type !== MessageType.DeliveryReport)) this.host.bus.emit(signal);
  }

  /**
   * The user's chat state, announced after the reply; the echo contact mirrors it a moment later
   * (unless it cannot receive, or the channel sends through a protocol's messaging).
   */
  setChatState(state: number): Reply {
    const mine = this.chat.change(this.host.self.handle, state);
    const mirrors = !this.host.messaging && !alwaysFails(this.target.id);
    const mirrored = mirrors ? this.replies.later(() => this.chat.change(this.target.handle, state), answerDelay(this.target)) : [];
    return { values: [], after: [...mine, ...mirrored] };
  }

  /** The ChatStates property: every contact in the conversation whose state is not Inactive. */
  chatStates(): Record<string, number> {
    return this.chat.asMap();
  }

  /** Acknowledge pending messages by id; InvalidArgument (and nothing acknowledged) for an unknown one. */
  acknowledge(ids: readonly number[]): Reply {
    const known = new Set(this.pending.map((message) => message.id));
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw invalidArgument(`no pending message has id ${unknown}; nothing was acknowledged`);
    this.removePending(new Set(ids));
    return reply();
  }

  /** The pending messages as the old API's tuples; `clear` acknowledges them all. */
  listPending(clear: boolean): Reply {
    const tuples = this.pending.map(pendingTuple);
    if (clear) this.removePending(new Set(this.pending.map((message) => message.id)));
    return reply(tuples);
  }

  private removePending(ids: ReadonlySet<number>): void {
    if (ids.size === 0) return;
    this.host.messaging?.acknowledged(this.pending.filter((message) => ids.has(message.id)));
    this.pending = this.pending.filter((message) => !ids.has(message.id));
    this.host.bus.emit(this.signal(Iface.Messages, 'PendingMessagesRemoved', [[...ids]]));
  }

  /** Some text parts of one pending message (GetPendingMessageContent). */
  pendingContent(id: number, parts: readonly number[]): Reply {
    const message = this.pending.find((candidate) => candidate.id === id);
    if (!message) throw invalidArgument(`no pending message has id ${id}`);
    const content: Record<string, unknown> = {};
    for (const part of parts) {
      const text = message.texts[part - 1];
      if (part < 1 || text === undefined) throw invalidArgument(`message ${id} has no body part ${part}`);
      content[String(part)] = s(text);
    }
    return reply(content);
  }

  /** A signal from this channel. */
  signal(iface: string, member: string, args: unknown[]): Signal {
    return { path: this.path, interface: iface, member, args };
  }
}
