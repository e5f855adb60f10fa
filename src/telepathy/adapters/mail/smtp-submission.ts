import nodemailer, { type Transporter } from 'nodemailer';
import type { MailAccount, OutgoingMail } from '#telepathy/domain/email/mail-network.port.js';
import { mailNetworkError } from './mail-errors.js';

/** TLS and timeouts for both servers; the CA is the test CA in tests, the system's otherwise. */
export interface MailTransportOptions {
  /** PEM of the CA to trust instead of the system's. */
  readonly ca?: string;
  /** How long to wait for a connection, a greeting or an answer (default 15 s). */
  readonly timeoutMs?: number;
}

/**
 * SMTP submission for one account: checked at sign-in, then one mail per chat message over one
 * pooled connection (a new TLS connection per mail cost ~60 kB of RSS each and a handshake).
 */
export class SmtpSubmission {
  private readonly transport: Transporter;
  private readonly secret: { password: string; user: string };

  constructor(private readonly account: MailAccount, options: MailTransportOptions) {
    const { smtp } = account;
    const user = smtp.user ?? account.address;
    this.secret = { password: account.password, user };
    const timeout = options.timeoutMs ?? 15_000;
    this.transport = nodemailer.createTransport({
      pool: true, maxConnections: 1, // mails go out one at a time anyway, in order
      host: smtp.host, port: smtp.port, secure: smtp.tls === 'implicit', requireTLS: smtp.tls === 'starttls',
      auth: { user, pass: account.password },
      tls: { rejectUnauthorized: true, ...(options.ca ? { ca: options.ca } : {}) },
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, logger: false, debug: false,
    });
  }

  /** Connect, upgrade to TLS and sign in once, to learn early that the account works. */
  async check(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw mailNetworkError(error, 'SMTP sign-in failed', this.secret);
    }
  }

  /** Submit `mail` from the account; resolves once the server accepted it. */
  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.account.address, to: mail.to, subject: mail.subject, messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references.length > 0 ? { references: [...mail.references] } : {}),
        text: mail.text, ...(mail.html !== undefined ? { html: mail.html } : {}),
      });
    } catch (error) {
      throw mailNetworkError(error, `sending to ${mail.to} failed`, this.secret, true);
    }
  }

  /** Close the pooled connection (QUIT); mails still queued fail. */
  close(): void {
    this.transport.close();
  }
}
