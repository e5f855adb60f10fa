import { inspect } from 'node:util';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapSmtpMailNetwork } from '#telepathy/adapters/mail/imap-smtp-mail-network.js';
import type { IncomingMail, MailAccount, MailNetworkError, MailSession } from '#telepathy/domain/email/mail-network.port.js';
import { BOUNCING_ADDRESS, startMailServers, type MailServers, type MailUser } from '#test/support/mail-servers.js';

let servers: MailServers;
const sessions: MailSession[] = [];
beforeAll(async () => { servers = await startMailServers(); });
afterEach(async () => { for (const s of sessions.splice(0)) await s.signOut(); });
afterAll(async () => { await servers?.stop(); });

function account(user: MailUser, overrides: Partial<MailAccount> = {}): MailAccount {
  return {
    address: user.address, password: user.password,
    imap: { host: servers.host, port: servers.ports.imaps, tls: 'implicit' },
    smtp: { host: servers.host, port: servers.ports.submission, tls: 'starttls' },
    ...overrides,
  };
}

async function signIn(user: MailUser) {
  const arrived: IncomingMail[] = [];
  const network = new ImapSmtpMailNetwork({ ca: servers.caPem, timeoutMs: 3000 });
  const session = await network.signIn(account(user), { arrived: (m) => arrived.push(m) > 0, disconnected: () => undefined });
  sessions.push(session);
  return { session, arrived };
}

/** What `user`'s INBOX holds: subject, text and whether it is \Seen, read directly over IMAP. */
async function inbox(user: MailUser): Promise<{ subject: string; seen: boolean; inReplyTo: string }[]> {
  const client = new ImapFlow({ host: servers.host, port: servers.ports.imaps, secure: true, logger: false,
    auth: { user: user.address, pass: user.password }, tls: { ca: servers.caPem } });
  await client.connect();
  const box = await client.mailboxOpen('INBOX');
  const found: { subject: string; seen: boolean; inReplyTo: string }[] = [];
  if (box.exists > 0) {
    for await (const m of client.fetch('1:*', { envelope: true, flags: true })) {
      found.push({ subject: m.envelope?.subject ?? '', seen: m.flags?.has('\\Seen') ?? false, inReplyTo: m.envelope?.inReplyTo ?? '' });
    }
  }
  await client.logout();
  return found;
}

function aliceSends(subject: string, text: string) {
  const { alice, me } = servers.users;
  return nodemailer.createTransport({ host: servers.host, port: servers.ports.submission, requireTLS: true,
    auth: { user: alice.address, pass: alice.password }, tls: { ca: servers.caPem } })
    .sendMail({ from: alice.address, to: me.address, subject, text });
}

describe('the IMAP + SMTP mail network', () => {
  it('sends a chat message as a mail that lands in the contact\'s mailbox, threaded', async () => {
    const { session } = await signIn(servers.users.me);
    await session.send({ to: servers.users.alice.address, subject: 'Re: chat one', messageId: '<m2.cave@cave.test>',
      inReplyTo: '<m1.cave@cave.test>', references: ['<m1.cave@cave.test>'], text: 'hello alice' });
    await expect.poll(() => inbox(servers.users.alice), { timeout: 5000 })
      .toContainEqual({ subject: 'Re: chat one', seen: false, inReplyTo: '<m1.cave@cave.test>' });
  });

  it('reports mail waiting at sign-in and mail arriving later (IDLE), once each', async () => {
    await aliceSends('before', 'waiting for you');
    await expect.poll(async () => (await inbox(servers.users.me)).some((m) => m.subject === 'before')).toBe(true);
    const { arrived } = await signIn(servers.users.me);
    expect(arrived.map((m) => [m.from, m.subject, m.text.trim()])).toContainEqual(['alice@cave.test', 'before', 'waiting for you']);
    await aliceSends('after', 'new one');
    await expect.poll(() => arrived.map((m) => m.subject), { timeout: 5000 }).toContain('after');
    expect(arrived.filter((m) => m.subject === 'before')).toHaveLength(1);
  });

  it('marks a mail \\Seen on the server only once acknowledged', async () => {
    await aliceSends('ack me', 'x');
    const { session, arrived } = await signIn(servers.users.me);
    await expect.poll(() => arrived.map((m) => m.subject), { timeout: 5000 }).toContain('ack me');
    expect((await inbox(servers.users.me)).find((m) => m.subject === 'ack me')?.seen).toBe(false);
    await session.acknowledge(arrived.find((m) => m.subject === 'ack me')!.uid);
    expect((await inbox(servers.users.me)).find((m) => m.subject === 'ack me')?.seen).toBe(true);
  });

  it('maps a refused recipient to permanently-refused', async () => {
    const { session } = await signIn(servers.users.me);
    const sent = session.send({ to: 'nobody@cave.test', subject: 's', messageId: '<x@cave.test>', references: [], text: 't' });
    await expect(sent).rejects.toMatchObject({ kind: 'permanently-refused', responseCode: 550 });
  });

  it('reports a bounce with its delivery status and the returned mail\'s Message-ID', async () => {
    const { session, arrived } = await signIn(servers.users.me);
    await session.send({ to: BOUNCING_ADDRESS, subject: 's', messageId: '<bounced.cave@cave.test>', references: [], text: 't' });
    await expect.poll(() => arrived.find((m) => m.deliveryStatus), { timeout: 10_000 }).toBeDefined();
    const dsn = arrived.find((m) => m.deliveryStatus)!;
    expect(dsn.deliveryStatus).toMatch(/^Action: failed$/m);
    expect(dsn.deliveryStatus).toMatch(/^Status: 5\.1\.1$/m);
    expect(dsn.returnedHeaders).toMatch(/^Message-ID: <bounced\.cave@cave\.test>\r?$/m);
  });
});

describe('failures never show the password', () => {
  const secret = 'Wrong-Pass-Zq81';
  const failure = async (a: MailAccount, trustTestCa = true): Promise<MailNetworkError> => {
    const network = new ImapSmtpMailNetwork({ ...(trustTestCa ? { ca: servers.caPem } : {}), timeoutMs: 2000 });
    return network.signIn(a, { arrived: () => true, disconnected: () => undefined })
      .then(() => { throw new Error('signed in'); }, (e: MailNetworkError) => e);
  };
  const leaks = (e: MailNetworkError, password: string) =>
    [e.message, String(e.stack), inspect(e, { depth: 5 }), JSON.stringify(e)].some((t) => t.includes(password));

  it('a wrong password is authentication-failed, at SMTP and at IMAP', async () => {
    const smtpFails = await failure({ ...account(servers.users.me), password: secret });
    expect(smtpFails.kind).toBe('authentication-failed');
    expect(leaks(smtpFails, secret)).toBe(false);
    const imapOnly = account(servers.users.me, { imap: { host: servers.host, port: servers.ports.imaps, tls: 'implicit', user: 'alice@cave.test' } });
    const imapFails = await failure(imapOnly);
    expect(imapFails.kind).toBe('authentication-failed');
    expect(leaks(imapFails, servers.users.me.password)).toBe(false);
  });

  it('nothing listening, or a certificate from an unknown CA, is network-error', async () => {
    const closed = { host: servers.host, port: 1, tls: 'implicit' as const };
    const refused = await failure(account(servers.users.me, { smtp: closed }));
    expect(refused.kind).toBe('network-error');
    expect(leaks(refused, servers.users.me.password)).toBe(false);
    const imapRefused = await failure(account(servers.users.me, { imap: closed }));
    expect(imapRefused.kind).toBe('network-error');
    expect(leaks(imapRefused, servers.users.me.password)).toBe(false);
    const untrusted = await failure(account(servers.users.me), false);
    expect(untrusted.kind).toBe('network-error');
    expect(leaks(untrusted, servers.users.me.password)).toBe(false);
  });
});
