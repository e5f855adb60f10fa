/**
 * The `email` connection's network side: sign in, turn each chat message into one mail of its
 * conversation's thread, turn arriving mail into received messages, and report on delivery.
 * @module
 */
import type { ChannelMessaging, MessagingChannel } from '#telepathy/domain/channel/channel-messaging.js';
import { textOf, type OutgoingMessage, type Party, type PendingMessage } from '#telepathy/domain/channel/message.js';
import { unixSeconds, type Clock } from '#telepathy/domain/clock/clock.port.js';
import {
  ConnectionFailure, type ConnectionBehaviour, type ConnectionView,
} from '#telepathy/domain/connection/connection-behaviour.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Limits } from '#telepathy/domain/limits/limits.js';
import { MessageType, StatusReason } from '#telepathy/domain/names/names.js';
import { newThread, nextMail, threadAfterArrival, type ConversationThread } from './conversation-thread.js';
import { deliveryReport, DeliveryStatus, MAIL_DELIVERY_REPORTING } from './delivery-report.js';
import {
  MailNetworkError, type IncomingMail, type MailAccount, type MailNetwork, type MailSession,
} from './mail-network.port.js';
import { makeMessageId, type RandomBytes } from './make-message-id.js';
import { matchBounce } from './match-bounce.js';
import { newTextOfReply } from './new-text-of-reply.js';
import { normalizeContactAddress } from './normalize-contact-address.js';

/** What an `email` connection needs from outside the domain. */
export interface MailServices {
  /** The mail network (IMAP and SMTP, or the in-memory one). */
  readonly network: MailNetwork;
  /** Random bytes for Message-IDs. */
  readonly randomBytes: RandomBytes;
  /** Where timestamps come from. */
  readonly clock: Clock;
}

/** A mail network failure as the connection reports it: Authentication_Failed, or Network_Error to retry. */
export function connectionFailureOf(error: unknown): ConnectionFailure {
  const message = error instanceof Error ? error.message : 'the mail network failed';
  if (error instanceof MailNetworkError && error.kind === 'authentication-failed') {
    return new ConnectionFailure(ErrorNames.AuthenticationFailed, StatusReason.AuthenticationFailed, message);
  }
  return new ConnectionFailure(ErrorNames.NetworkError, StatusReason.NetworkError, message);
}

/** One `email` connection's conversations by mail. */
export class MailConversations implements ConnectionBehaviour {
  private session: MailSession | undefined;
  private live = false;
  private ended = false;
  /** Mail that arrived while signing in, delivered once the connection is CONNECTED. */
  private readonly early: IncomingMail[] = [];
  /** Contacts whose newer mail waits unseen on the server, behind mail their full channel had no room for. */
  private readonly held = new Set<string>();
  /** Whether mail was left on the server for lack of room since the last resume. */
  private deferred = false;
  private readonly threads = new Map<string, ConversationThread>();
  /** The most recent mails sent this session, by Message-ID: to whom, and the chat message's token. */
  private readonly sent = new Map<string, { contact: Party; token: string }>();
  /** The IMAP uid behind each received message's token, to mark it `\Seen` when acknowledged. */
  private readonly uids = new Map<string, number>();
  /** Mails go out one after another, so a contact receives them in the order they were written. */
  private sending: Promise<void> = Promise.resolve();
  /** See {@link ConnectionBehaviour.messaging}. */
  readonly messaging: ChannelMessaging = {
    deliveryReportingSupport: MAIL_DELIVERY_REPORTING,
    // The spec's "formatted text with a plain text alternative": mail carries both as multipart/alternative.
    supportedContentTypes: ['text/html', 'text/plain'],
    send: (channel, message, token) => this.send(channel, message, token),
    acknowledged: (messages) => this.acknowledged(messages),
  };

  constructor(
    private readonly account: MailAccount,
    private readonly services: MailServices,
    private readonly connection: ConnectionView,
  ) {}

  /** Sign in to IMAP and check SMTP; a failure becomes a {@link ConnectionFailure}. */
  async signIn(): Promise<void> {
    try {
      this.session = await this.services.network.signIn(this.account, {
        arrived: (mail) => this.taken(this.arrived(mail)),
        disconnected: (error) => {
          if (!this.ended) this.connection.fail(connectionFailureOf(error));
        },
      });
    } catch (error) {
      throw connectionFailureOf(error);
    }
    if (this.ended) void this.session.signOut().catch(() => undefined);
  }

  /** Deliver what arrived while signing in, in arrival order. */
  connected(): void {
    this.live = true;
    // Always room: at most the limit waited, and there were no channels before CONNECTED.
    for (const mail of this.early.splice(0)) this.deliver(mail);
    this.resume();
  }

  /** Leave; unacknowledged mail stays unseen on the server for the next session. */
  signOut(): void {
    this.ended = true;
    void this.session?.signOut().catch(() => undefined);
  }

  /** False (the mail stays on the server, reported again after resume) when there is no room for it. */
  private arrived(mail: IncomingMail): boolean {
    if (this.ended) return true;
    if (this.live) return this.deliver(mail);
    if (this.early.length >= Limits.pendingMessagesPerChannel) return false;
    this.early.push(mail);
    return true;
  }

  private taken(taken: boolean): boolean {
    if (!taken) this.deferred = true;
    return taken;
  }

  /** Whether `contact`'s channel can take one more message; once it cannot, their later mail waits too, to keep its order. */
  private hasRoom(contact: Party): boolean {
    if (!this.held.has(contact.id) && this.connection.channels.text.pendingCount(contact) < Limits.pendingMessagesPerChannel) return true;
    this.held.add(contact.id);
    return false;
  }

  /** Room may have been made: mail left on the server is reported again, in mailbox order. */
  private resume(): void {
    if (!this.deferred || this.ended) return;
    this.deferred = false;
    this.held.clear();
    this.session?.resume();
  }

  private deliver(mail: IncomingMail): boolean {
    const bounce = mail.deliveryStatus ? this.deliverBounce(mail) : 'not-a-bounce';
    if (bounce !== 'not-a-bounce') return bounce;
    const id = normalizeContactAddress(mail.from);
    if (id === undefined) return true; // no sender to chat with; it stays unseen for a mail program
    const contact = { handle: this.connection.handles.ensure(id), id };
    if (!this.hasRoom(contact)) return false;
    this.threads.set(id, threadAfterArrival(this.threads.get(id), mail));
    const token = mail.messageId && !this.uids.has(mail.messageId) ? mail.messageId : `uid-${mail.uid}`;
    this.uids.set(token, mail.uid);
    this.connection.channels.text.incoming(contact).receive({
      sender: contact,
      received: unixSeconds(this.services.clock),
      sent: Math.floor(mail.sentAt / 1000),
      type: MessageType.Normal,
      texts: [newTextOfReply(mail.text)],
      token,
    });
    return true;
  }

  /** A DSN about a mail sent this session becomes a failure report on that conversation (false: no room yet). */
  private deliverBounce(mail: IncomingMail): boolean | 'not-a-bounce' {
    const bounce = matchBounce(mail, new Set(this.sent.keys()));
    const original = bounce && this.sent.get(bounce.messageId);
    if (!bounce || !original) return 'not-a-bounce';
    if (!this.hasRoom(original.contact)) return false;
    const status = bounce.severity === 'permanent' ? DeliveryStatus.PermanentlyFailed : DeliveryStatus.TemporarilyFailed;
    const report = deliveryReport(original.contact, original.token, status, unixSeconds(this.services.clock),
      `${bounce.status} ${bounce.diagnostic ?? ''}`.trim());
    this.uids.set(report.token, mail.uid);
    this.connection.channels.text.incoming(original.contact).receive(report);
    return true;
  }

  private send(channel: MessagingChannel, message: OutgoingMessage, token: string): void {
    const contact = channel.target;
    const messageId = makeMessageId(this.services.randomBytes, this.account.address);
    const { headers, thread } = nextMail(this.threads.get(contact.id) ?? newThread(this.account.address, contact.id), messageId);
    this.threads.set(contact.id, thread);
    this.sent.set(messageId, { contact, token });
    // A Map iterates in insertion order: the first key is the oldest mail.
    if (this.sent.size > Limits.sentMailsRemembered) this.sent.delete(this.sent.keys().next().value!);
    const text = message.type === MessageType.Action ? `* ${this.account.address} ${textOf(message.texts)}` : textOf(message.texts);
    const html = message.type === MessageType.Action ? undefined : message.html;
    const mail = { to: contact.id, messageId, ...headers, text, ...(html === undefined ? {} : { html }) };
    this.sending = this.sending.then(async () => {
      if (this.ended || !this.session) return;
      const status = await this.session.send(mail).then(() => DeliveryStatus.Accepted, (error: unknown) =>
        error instanceof MailNetworkError && error.kind === 'permanently-refused' ? DeliveryStatus.PermanentlyFailed : DeliveryStatus.TemporarilyFailed);
      if (this.ended) return;
      const why = status === DeliveryStatus.Accepted ? undefined : 'the mail server refused the message';
      this.connection.channels.text.incoming(contact).receive(deliveryReport(contact, token, status, unixSeconds(this.services.clock), why));
    });
  }

  private acknowledged(messages: readonly PendingMessage[]): void {
    for (const message of messages) {
      const uid = this.uids.get(message.token);
      if (uid === undefined || !this.session) continue;
      this.uids.delete(message.token);
      void this.session.acknowledge(uid).catch(() => undefined); // still unseen: it comes again next session
    }
    // After the channel has removed them: only then is there room.
    void Promise.resolve().then(() => this.resume());
  }
}
