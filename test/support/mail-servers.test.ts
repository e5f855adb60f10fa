import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from './mail-servers.js';

let servers: MailServers;
beforeAll(async () => { servers = await startMailServers(); });
afterAll(async () => { await servers?.stop(); });

/** An SMTP submission client for `user`, insisting on STARTTLS verified against the test CA. */
function submitter(user: string, pass: string) {
  return nodemailer.createTransport({
    host: servers.host, port: servers.ports.submission, secure: false, requireTLS: true,
    auth: { user, pass }, tls: { ca: servers.caPem, servername: 'localhost' },
  });
}

async function inboxSubjects(user: string, pass: string): Promise<string[]> {
  const client = new ImapFlow({
    host: servers.host, port: servers.ports.imaps, secure: true, logger: false,
    auth: { user, pass }, tls: { ca: servers.caPem, servername: 'localhost' },
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const subjects: string[] = [];
      if ((client.mailbox ? client.mailbox.exists : 0) === 0) return subjects;
      for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
      return subjects;
    } finally { lock.release(); }
  } finally { await client.logout(); }
}

describe('private mail servers', () => {
  it('carry a mail submitted over SMTP (STARTTLS, auth) into the recipient\'s IMAP inbox', async () => {
    const { me, alice } = servers.users;
    const info = await submitter(me.address, me.password).sendMail({
      from: me.address, to: alice.address, subject: 'lunch?', text: 'at noon',
    });
    expect(info.accepted).toEqual([alice.address]);
    await expect.poll(() => inboxSubjects(alice.address, alice.password), { timeout: 5000 }).toContain('lunch?');
  });

  it('refuse a wrong password with 535', async () => {
    const { me } = servers.users;
    const sent = submitter(me.address, 'not-the-password').sendMail({ from: me.address, to: me.address, text: 'x' });
    await expect(sent).rejects.toMatchObject({ responseCode: 535 });
  });

  it('refuse an unknown recipient with 550', async () => {
    const { me } = servers.users;
    const sent = submitter(me.address, me.password).sendMail({ from: me.address, to: 'nobody@cave.test', text: 'x' });
    await expect(sent).rejects.toMatchObject({ responseCode: 550 });
  });

  it('refuse a certificate the test CA did not sign', async () => {
    const { me } = servers.users;
    const client = nodemailer.createTransport({
      host: servers.host, port: servers.ports.submission, requireTLS: true, auth: { user: me.address, pass: me.password },
    });
    await expect(client.verify()).rejects.toThrow(/certificate/i);
  });
});
