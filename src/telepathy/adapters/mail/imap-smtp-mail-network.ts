import type {
  MailAccount, MailNetwork, MailNetworkEvents, MailSession, OutgoingMail,
} from '#telepathy/domain/email/mail-network.port.js';
import { ImapInbox } from './imap-inbox.js';
import { SmtpSubmission, type MailTransportOptions } from './smtp-submission.js';

/** The real mail network: IMAP (imapflow) for arrivals, SMTP submission (nodemailer) for sending. */
export class ImapSmtpMailNetwork implements MailNetwork {
  constructor(private readonly options: MailTransportOptions = {}) {}

  /** Check SMTP, then sign in to IMAP and start reporting mail. */
  async signIn(account: MailAccount, events: MailNetworkEvents): Promise<MailSession> {
    const smtp = new SmtpSubmission(account, this.options);
    try {
      await smtp.check();
    } catch (error) {
      smtp.close();
      throw error;
    }
    const inbox = new ImapInbox(account, events, this.options);
    try {
      await inbox.open();
    } catch (error) {
      smtp.close();
      throw error;
    }
    return {
      send: (mail: OutgoingMail) => smtp.send(mail),
      acknowledge: (uid: number) => inbox.acknowledge(uid),
      resume: () => inbox.resume(),
      signOut: async () => {
        smtp.close();
        await inbox.close();
      },
    };
  }
}
