import { ImapFlow } from 'imapflow';
import { MailNetworkError, type MailAccount, type MailNetworkEvents } from '#telepathy/domain/email/mail-network.port.js';
import { mailNetworkError } from './mail-errors.js';
import { parseIncomingMail } from './parse-incoming-mail.js';
import type { MailTransportOptions } from './smtp-submission.js';

/**
 * The account's INBOX over IMAP: unseen mail reported at sign-in, new mail as IDLE notices it,
 * each mail once per session; `\Seen` set only when the client acknowledges.
 */
export class ImapInbox {
  private readonly client: ImapFlow;
  private readonly reported = new Set<number>();
  /** Unseen mail the connection had no room for: left alone until {@link resume}. */
  private readonly deferred = new Set<number>();
  private readonly secret: { password: string; user: string };
  private work: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(account: MailAccount, private readonly events: MailNetworkEvents, options: MailTransportOptions) {
    const { imap } = account;
    const user = imap.user ?? account.address;
    this.secret = { password: account.password, user };
    const timeout = options.timeoutMs ?? 15_000;
    this.client = new ImapFlow({
      host: imap.host, port: imap.port, secure: imap.tls === 'implicit', doSTARTTLS: imap.tls === 'starttls',
      auth: { user, pass: account.password }, logger: false,
      tls: { rejectUnauthorized: true, ...(options.ca ? { ca: options.ca } : {}) },
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: 5 * 60_000,
      autoIdleDelay: 100, // IDLE at once: imapflow's default waits 15 s of quiet before it starts
    });
    this.client.on('error', () => undefined); // a dropped connection also emits 'close', reported there
  }

  /** Sign in, open INBOX, report what is unseen, then follow new mail. */
  async open(): Promise<void> {
    try {
      await this.client.connect();
      await this.client.mailboxOpen('INBOX');
    } catch (error) {
      this.closing = true;
      this.client.close();
      throw mailNetworkError(error, 'IMAP sign-in failed', this.secret);
    }
    this.client.on('exists', () => this.enqueue());
    this.client.on('close', () => {
      if (!this.closing) this.events.disconnected(new MailNetworkError('network-error', 'the IMAP connection closed'));
    });
    this.enqueue();
    await this.work;
  }

  private enqueue(): void {
    this.work = this.work.then(() => this.reportUnseen()).catch((error: unknown) => {
      if (!this.closing) this.events.disconnected(mailNetworkError(error, 'reading new mail failed', this.secret));
    });
  }

  private async reportUnseen(): Promise<void> {
    const uids = (await this.client.search({ seen: false }, { uid: true })) || [];
    for (const uid of uids.filter((u) => !this.reported.has(u) && !this.deferred.has(u))) {
      const message = await this.client.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
      if (!message || !message.source) continue;
      const arrived = message.internalDate ? new Date(message.internalDate).getTime() : 0;
      const taken = this.events.arrived(await parseIncomingMail(uid, message.source, arrived));
      (taken ? this.reported : this.deferred).add(uid);
    }
  }

  /** Fetch again the mail there was no room for. */
  resume(): void {
    if (this.deferred.size === 0 || this.closing) return;
    this.deferred.clear();
    this.enqueue();
  }

  /** Mark mail `uid` `\Seen` on the server. */
  async acknowledge(uid: number): Promise<void> {
    try {
      await this.client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    } catch (error) {
      throw mailNetworkError(error, 'marking mail as seen failed', this.secret);
    }
  }

  /** Log out (or drop the connection if that fails); no events follow. */
  async close(): Promise<void> {
    this.closing = true;
    await this.work;
    await this.client.logout().catch(() => this.client.close());
  }
}
