/**
 * An in-memory mail network for tests: mailboxes with passwords, a switch to make the servers
 * unreachable, refusals by recipient, and sessions that can be dropped. It implements the
 * domain's mail port only; mail moves when a test says so (`flush`), so tests pick the order.
 */
import {
  MailNetworkError, type IncomingMail, type MailAccount, type MailNetwork, type MailNetworkEvents, type MailSession,
  type OutgoingMail,
} from '#telepathy/domain/email/mail-network.port.js';

interface StoredMail {
  readonly mail: IncomingMail;
  seen: boolean;
}

interface LiveSession {
  readonly address: string;
  readonly events: MailNetworkEvents;
  readonly reported: Set<number>;
  readonly deferred: Set<number>;
  open: boolean;
}

/** A mail someone sent, as the network recorded it. */
export interface SentMail extends OutgoingMail {
  /** The sender's address. */
  readonly from: string;
}

export class MemoryMailNetwork implements MailNetwork {
  private readonly passwords = new Map<string, string>();
  private readonly boxes = new Map<string, StoredMail[]>();
  private readonly sessions: LiveSession[] = [];
  private readonly refusals = new Map<string, 'permanently-refused' | 'temporarily-refused'>();
  private nextUid = 1;
  /** Every mail accepted for sending, in order. */
  readonly sent: SentMail[] = [];
  /** When false, sign-in and sending fail with a network error. */
  reachable = true;

  /** Add a mailbox. */
  addUser(address: string, password: string): void {
    this.passwords.set(address, password);
    this.boxes.set(address, []);
  }

  /** Refuse mail to `address` from now on, permanently (5xx) or temporarily (4xx). */
  refuse(address: string, kind: 'permanently-refused' | 'temporarily-refused'): void {
    this.refusals.set(address, kind);
  }

  async signIn(account: MailAccount, events: MailNetworkEvents): Promise<MailSession> {
    await Promise.resolve();
    if (!this.reachable) throw new MailNetworkError('network-error', `cannot reach ${account.imap.host}`);
    if (this.passwords.get(account.address) !== account.password) {
      throw new MailNetworkError('authentication-failed', 'IMAP sign-in failed: authentication failed', 535);
    }
    const session: LiveSession = { address: account.address, events, reported: new Set(), deferred: new Set(), open: true };
    this.sessions.push(session);
    this.report(session);
    return {
      send: (mail) => this.send(session, mail),
      acknowledge: async (uid) => {
        const stored = this.boxes.get(session.address)?.find((m) => m.mail.uid === uid);
        if (stored) stored.seen = true;
      },
      resume: () => {
        session.deferred.clear();
        this.report(session);
      },
      signOut: async () => {
        session.open = false;
      },
    };
  }

  private async send(session: LiveSession, mail: OutgoingMail): Promise<void> {
    await Promise.resolve();
    if (!session.open || !this.reachable) throw new MailNetworkError('network-error', 'the SMTP connection closed');
    const refusal = this.refusals.get(mail.to);
    if (refusal) throw new MailNetworkError(refusal, `sending to ${mail.to} failed`, refusal === 'permanently-refused' ? 550 : 451);
    this.sent.push({ ...mail, from: session.address });
    if (this.boxes.has(mail.to)) {
      this.store(mail.to, { from: session.address, subject: mail.subject, text: mail.text, messageId: mail.messageId, references: mail.references });
    }
  }

  /** Put a mail in `to`'s mailbox, as if it came from `from`; sessions hear of it on {@link flush}. */
  deliver(to: string, mail: {
    from: string; text: string; subject?: string; messageId?: string; inReplyTo?: string; deliveryStatus?: string; returnedHeaders?: string;
  }): number {
    return this.store(to, { subject: 'chat', references: [], ...mail });
  }

  private store(to: string, mail: Omit<IncomingMail, 'uid' | 'sentAt'>): number {
    const uid = this.nextUid++;
    this.boxes.get(to)?.push({ mail: { ...mail, uid, sentAt: 1_700_000_000_000 + uid * 1000 }, seen: false });
    return uid;
  }

  /** Report unseen mail to every open session, as IDLE would. */
  flush(): void {
    for (const session of this.sessions) this.report(session);
  }

  private report(session: LiveSession): void {
    for (const stored of this.boxes.get(session.address) ?? []) {
      const { uid } = stored.mail;
      if (!session.open || stored.seen || session.reported.has(uid) || session.deferred.has(uid)) continue;
      (session.events.arrived(stored.mail) ? session.reported : session.deferred).add(uid);
    }
  }

  /** Drop every open session of `address`, as a network failure would. */
  drop(address: string): void {
    for (const session of this.sessions.filter((s) => s.address === address && s.open)) {
      session.open = false;
      session.events.disconnected(new MailNetworkError('network-error', 'the IMAP connection closed'));
    }
  }

  /** Whether mail `uid` in `address`'s mailbox is marked `\Seen`. */
  isSeen(address: string, uid: number): boolean {
    return this.boxes.get(address)?.find((m) => m.mail.uid === uid)?.seen ?? false;
  }
}
