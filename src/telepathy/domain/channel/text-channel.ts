/**
 * A text channel to one contact: both sending APIs, the pending queue, Close and Destroy.
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import { unixSeconds, type Clock } from '#telepathy/domain/clock/clock.port.js';
import { echo } from '#telepathy/domain/echo/echo.js';
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
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
import { typeTextInterface } from './type-text.js';

/** What a channel needs from the connection that owns it. */
export interface TextChannelHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The clock for message timestamps. */
  readonly clock: Clock;
  /** The user's own contact, the sender of outgoing messages. */
  readonly self: Party;
  /** A new message-token, unique in the connection. */
  nextToken(): string;
  /** End this life of the channel; `destroy` drops pending messages so it cannot respawn. */
  close(channel: TextChannel, destroy: boolean): void;
  /** Who echoes a message, in order; the channel's contact when absent (a room: each member). */
  echoers?(): readonly Party[];
  /** A protocol's way of sending (the `email` one); absent: the echo. */
  readonly messaging?: ChannelMessaging;
}

const CHANNEL_INTERFACES = [Iface.Messages, Iface.Destroyable];
/** Echo channels offer no attachments and no delivery reports. */
const MESSAGE_PART_SUPPORT_FLAGS = 0;
const DELIVERY_REPORTING_SUPPORT = 0;

/** A text channel to one contact: both sending APIs, the pending queue, Close and Destroy. */
export class TextChannel implements MessagingChannel {
  private pending: PendingMessage[] = [];
  private nextPendingId = 1;

  constructor(
    /** The channel's object path. */
    readonly path: string,
    /** The contact the conversation is with. */
    readonly target: Party,
    private initiator: Party,
    private requested: boolean,
    private readonly host: TextChannelHost,
  ) {}

  /** Whether received messages wait to be acknowledged (then Close makes the channel come back). */
  get hasPendingMessages(): boolean {
    return this.pending.length > 0;
  }

  /** Start a new life after a Close with messages pending: now an incoming channel from the contact. */
  respawn(): void {
    this.requested = false;
    this.initiator = this.target;
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
      [`${msg}.SupportedContentTypes`]: as(this.host.messaging?.supportedContentTypes ?? SUPPORTED_CONTENT_TYPES),
      [`${msg}.MessageTypes`]: au(SUPPORTED_MESSAGE_TYPES),
      [`${msg}.MessagePartSupportFlags`]: u(MESSAGE_PART_SUPPORT_FLAGS),
      [`${msg}.DeliveryReportingSupport`]: u(this.host.messaging?.deliveryReportingSupport ?? DELIVERY_REPORTING_SUPPORT),
    };
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
    });
  }

  /** Every pending message, as parts (the PendingMessages property). */
  pendingParts(): VariantMap[][] {
    return this.pending.map(receivedParts);
  }

  /** Close the channel, or with `destroy` drop its pending messages first so it cannot respawn. */
  close(destroy: boolean): Reply {
    if (destroy) this.pending = [];
    this.host.close(this, destroy);
    return reply();
  }

  /** Sending succeeds at once; the spec wants the reply before MessageSent/Sent, then the echo. */
  send(message: OutgoingMessage, replyValues: (token: string) => unknown[]): Reply {
    const sentAt = unixSeconds(this.host.clock);
    const token = this.host.nextToken();
    if (this.host.messaging) return this.sendBy(this.host.messaging, message, sentAt, token, replyValues(token));
    const echoers = this.host.echoers?.() ?? [this.target];
    const echoes = echoers.map((from) => echo(message, from, sentAt, { id: this.nextPendingId++, token: this.host.nextToken() }));
    this.pending.push(...echoes);
    const text = textOf(message.texts);
    const after: Signal[] = [
      this.signal(Iface.Messages, 'MessageSent', [sentParts(message, this.host.self, sentAt, token), 0, token]),
      this.signal(Iface.Text, 'Sent', [sentAt, message.type, text]),
      ...echoes.flatMap((echoed) => [
        this.signal(Iface.Messages, 'MessageReceived', [receivedParts(echoed)]),
        this.signal(Iface.Text, 'Received', pendingTuple(echoed)),
      ]),
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

  /** Queue a message from the contact (or a delivery report) and announce it; reports are not for the old Text API. */
  receive(message: ArrivingMessage): void {
    const pending: PendingMessage = { ...message, id: this.nextPendingId++, rescued: false };
    this.pending.push(pending);
    this.host.bus.emit(this.signal(Iface.Messages, 'MessageReceived', [receivedParts(pending)]));
    if (pending.type !== MessageType.DeliveryReport) this.host.bus.emit(this.signal(Iface.Text, 'Received', pendingTuple(pending)));
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
