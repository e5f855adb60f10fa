import type { MailAccount, MailNetwork, MailNetworkEvents, MailSession } from '#telepathy/domain/email/mail-network.port.js';

/**
 * The IMAP/SMTP mail network, loaded on the first `email` sign-in: the mail libraries are large,
 * and a daemon activated only for `echo` should start as fast as it did without them.
 */
export class LazyMailNetwork implements MailNetwork {
  private network: Promise<MailNetwork> | undefined;

  /** Load the real adapter once, then sign in through it. */
  async signIn(account: MailAccount, events: MailNetworkEvents): Promise<MailSession> {
    this.network ??= import('#telepathy/adapters/mail/imap-smtp-mail-network.js').then((m) => new m.ImapSmtpMailNetwork());
    return (await this.network).signIn(account, events);
  }
}
