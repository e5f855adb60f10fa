/** Where a private pair of mail servers keeps its files, and on which loopback ports it listens. */
export interface MailServerLayout {
  /** Top folder (mode 0755: Dovecot's unprivileged processes walk through it). */
  readonly dir: string;
  /** Server certificate and key, signed by the test CA. */
  readonly certFile: string;
  readonly keyFile: string;
  /** Dovecot's passwd-file of users. */
  readonly usersFile: string;
  /** Loopback addresses both servers listen on. */
  readonly addresses: readonly string[];
  readonly ports: { readonly imap: number; readonly imaps: number; readonly submission: number; readonly smtps: number };
}

/** A mailbox on the test domain, with its test password. */
export interface MailUser {
  readonly address: string;
  readonly password: string;
}

/** The uid/gid mail is stored under; no system account needs to exist for it. */
export const mailUid = 5000;

/** Dovecot's folder inside the layout: sockets for LMTP delivery and SASL auth live there. */
export const dovecotDir = (l: MailServerLayout) => `${l.dir}/dovecot`;
/** What this pair's servers say first on a plain connection: tells them from another test's that took a port. */
export const greetingOf = (l: MailServerLayout) => `cave test servers ${l.dir.slice(l.dir.lastIndexOf('/') + 1)}`;
/** Postfix's configuration folder (main.cf, master.cf, tables). */
export const postfixConfigDir = (l: MailServerLayout) => `${l.dir}/postfix/etc`;

/** One passwd-file line per user: plain test passwords, a maildir under the layout's folder. */
export function dovecotUsers(l: MailServerLayout, users: readonly MailUser[]): string {
  return users
    .map((u) => `${u.address}:{PLAIN}${u.password}:${mailUid}:${mailUid}::${l.dir}/mail/${u.address}::\n`)
    .join('');
}

/**
 * Dovecot: IMAP with STARTTLS and implicit TLS, LMTP and auth sockets for Postfix, every state
 * folder inside the layout, and no delay after failed logins (tests fail logins on purpose).
 */
export function dovecotConfig(l: MailServerLayout): string {
  const d = dovecotDir(l);
  return `base_dir = ${d}/run
state_dir = ${d}/state
log_path = ${d}/dovecot.log
instance_name = cave-${l.ports.imap}
login_greeting = ${greetingOf(l)}
protocols = imap lmtp
listen = ${l.addresses.join(', ')}
ssl = required
ssl_cert = <${l.certFile}
ssl_key = <${l.keyFile}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
first_valid_uid = ${mailUid}
passdb {
  driver = passwd-file
  args = username_format=%u ${l.usersFile}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${l.usersFile}
}
service imap-login {
  inet_listener imap {
    port = ${l.ports.imap}
  }
  inet_listener imaps {
    port = ${l.ports.imaps}
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service lmtp {
  unix_listener ${d}/lmtp {
    mode = 0666
  }
}
service auth {
  unix_listener ${d}/auth {
    mode = 0666
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`;
}

/**
 * Postfix main.cf: virtual mailboxes on cave.test delivered by LMTP into Dovecot, SASL through
 * Dovecot's auth socket, no DNS, and every other domain bounced at once (so DSNs can be tested).
 */
export function postfixMain(l: MailServerLayout): string {
  const p = `${l.dir}/postfix`;
  return `compatibility_level = 3.6
config_directory = ${postfixConfigDir(l)}
queue_directory = ${p}/queue
data_directory = ${p}/data
maillog_file = ${p}/maillog
maillog_file_prefixes = ${p}
myhostname = mail.cave.test
smtpd_banner = $myhostname ESMTP ${greetingOf(l)}
mydomain = cave.test
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
smtpd_peername_lookup = no
alias_maps =
alias_database =
local_recipient_maps =
biff = no
virtual_mailbox_domains = cave.test
virtual_mailbox_maps = texthash:${postfixConfigDir(l)}/vmailbox
virtual_transport = lmtp:unix:${dovecotDir(l)}/lmtp
default_transport = error:5.4.4 the cave test network has no route outside cave.test
relay_transport = error:5.4.4 the cave test network has no route outside cave.test
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${dovecotDir(l)}/auth
smtpd_tls_cert_file = ${l.certFile}
smtpd_tls_key_file = ${l.keyFile}
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = permit_sasl_authenticated, reject_unauth_destination
`;
}

/**
 * A mailbox Postfix accepts mail for but Dovecot does not know: LMTP refuses it after the SMTP
 * server accepted it, so the sender gets a bounce (a DSN) by mail, as from a remote server.
 */
export const BOUNCING_ADDRESS = 'gone@cave.test';

/** The table of mailboxes Postfix accepts mail for (and {@link BOUNCING_ADDRESS}); anyone else gets 550 5.1.1. */
export function postfixMailboxes(users: readonly MailUser[]): string {
  return [...users.map((u) => u.address), BOUNCING_ADDRESS].map((a) => `${a} ${a}/\n`).join('');
}

/**
 * Postfix master.cf: submission (STARTTLS required, SASL) and submissions (implicit TLS) on each
 * loopback address, and the internal services, none of them chrooted (Debian's stock file is).
 */
export function postfixMaster(l: MailServerLayout): string {
  const submit = '-o smtpd_sasl_auth_enable=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject';
  const listeners = l.addresses.flatMap((a) => [
    `${a}:${l.ports.submission} inet n - n - - smtpd -o smtpd_tls_security_level=encrypt ${submit}`,
    `${a}:${l.ports.smtps} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes ${submit}`,
  ]);
  const internal = [
    'pickup unix n - n 60 1 pickup', 'cleanup unix n - n - 0 cleanup', 'qmgr unix n - n 300 1 qmgr',
    'tlsmgr unix - - n 1000? 1 tlsmgr', 'rewrite unix - - n - - trivial-rewrite', 'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce', 'trace unix - - n - 0 bounce', 'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush', 'proxymap unix - - n - - proxymap', 'proxywrite unix - - n - 1 proxymap',
    'smtp unix - - n - - smtp', 'relay unix - - n - - smtp', 'showq unix n - n - - showq',
    'error unix - - n - - error', 'retry unix - - n - - error', 'discard unix - - n - - discard',
    'lmtp unix - - n - - lmtp', 'anvil unix - - n - 1 anvil', 'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  return [...listeners, ...internal].join('\n') + '\n';
}
