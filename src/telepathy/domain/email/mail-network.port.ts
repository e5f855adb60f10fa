/**
 * The mail network as the `email` connection sees it: one account signed in to an IMAP server
 * (arrivals) and an SMTP submission server (sending). A real adapter speaks IMAP and SMTP; an
 * in-memory one stands in for it in property tests.
 * @module
 */

/** How to reach the servers of one account. The password is a secret: no adapter may log it. */
export interface MailAccount {
  /** The account's own address, the From of every mail sent. */
  readonly address: string;
  /** Secret; never written to logs, errors or process arguments. */
  readonly password: string;
  /** The IMAP server mail arrives on. */
  readonly imap: MailServerEndpoint;
  /** The SMTP submission server mail is sent through. */
  readonly smtp: MailServerEndpoint;
}

/** One server of an account. */
export interface MailServerEndpoint {
  /** Host name or address. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** `implicit`: TLS from the first byte (IMAP 993, SMTP 465); `starttls`: upgrade (SMTP 587). */
  readonly tls: 'implicit' | 'starttls';
  /** User name to sign in with; default the account's address. */
  readonly user?: string;
}

/** A mail to send: one chat message. Headers are chosen by the domain, not the adapter. */
export interface OutgoingMail {
  /** The contact's address. */
  readonly to: string;
  /** The conversation's Subject. */
  readonly subject: string;
  /** Angle-bracketed, e.g. `<abc@cave.test>`. */
  readonly messageId: string;
  /** The Message-ID of the previous mail in the conversation. */
  readonly inReplyTo?: string;
  /** Message-IDs of the conversation so far, oldest first. */
  readonly references: readonly string[];
  /** The plain text of the message. */
  readonly text: string;
  /** Sent as the `text/html` half of a `multipart/alternative` when present. */
  readonly html?: string;
}

/** A mail that arrived in the account's INBOX, already decoded from MIME. */
export interface IncomingMail {
  /** The server's identifier for it, used to acknowledge it. */
  readonly uid: number;
  /** The sender's address as written (normalise before comparing). */
  readonly from: string;
  /** Its Subject. */
  readonly subject: string;
  /** Its Message-ID, angle-bracketed, when it has one. */
  readonly messageId?: string;
  /** The Message-ID it answers. */
  readonly inReplyTo?: string;
  /** Its References, oldest first. */
  readonly references: readonly string[];
  /** Milliseconds since the epoch, from the Date header or the server's arrival time. */
  readonly sentAt: number;
  /** The plain text; HTML-only mail converted to text. */
  readonly text: string;
  /** For a delivery status notification: the `message/delivery-status` part as text. */
  readonly deliveryStatus?: string;
  /** For a DSN: the returned message or its headers, as text. */
  readonly returnedHeaders?: string;
}

/** Why the mail network failed; decides what the connection tells the client. */
export type MailNetworkErrorKind =
  /** Wrong user name or password: ask the user again, do not retry. */
  | 'authentication-failed'
  /** Unreachable, refused, timed out, dropped, or TLS failed: retry later. */
  | 'network-error'
  /** A 5xx answer to a mail: it will never be accepted. */
  | 'permanently-refused'
  /** A 4xx answer to a mail: it may be accepted later. */
  | 'temporarily-refused';

/** A failure of the mail network. Its message never contains the password. */
export class MailNetworkError extends Error {
  constructor(
    /** What kind of failure it is. */
    readonly kind: MailNetworkErrorKind,
    message: string,
    /** The server's reply code, when a server answered (e.g. 535, 550, 451). */
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailNetworkError';
  }
}

/** What the mail network reports while signed in. */
export interface MailNetworkEvents {
  /**
   * A mail arrived (or was waiting, unseen, at sign-in); reported once per session. False: no room
   * for it now; the network leaves it unseen and reports it again after {@link MailSession.resume}.
   */
  arrived(mail: IncomingMail): boolean;
  /** The session ended without `signOut()`: the connection goes Disconnected with this error. */
  disconnected(error: MailNetworkError): void;
}

/** A signed-in session of one account. */
export interface MailSession {
  /** Submit a mail; resolves once the SMTP server accepted it. Rejects with a {@link MailNetworkError}. */
  send(mail: OutgoingMail): Promise<void>;
  /** Report again, in mailbox order, the unseen mail that `arrived` had no room for. */
  resume(): void;
  /** Mark an arrived mail `\Seen` on the server: it will not be reported again. */
  acknowledge(uid: number): Promise<void>;
  /** End the session; no events follow. */
  signOut(): Promise<void>;
}

/** The port: sign in to an account, then send, receive and acknowledge. */
export interface MailNetwork {
  /**
   * Sign in to IMAP and check SMTP, then report every unseen mail and each new one to `events`.
   * Rejects with a {@link MailNetworkError} (`authentication-failed` or `network-error`).
   */
  signIn(account: MailAccount, events: MailNetworkEvents): Promise<MailSession>;
}
