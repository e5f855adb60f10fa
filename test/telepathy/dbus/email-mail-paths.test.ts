/**
 * Mail paths end to end, through the real daemon and real Dovecot and Postfix. HTML: a message with
 * an HTML alternative lands in the contact's mailbox as one multipart/alternative mail. A bounce: the real daemon sends a mail through Postfix to a mailbox that turns out
 * not to exist; Postfix accepts it (Accepted), delivery fails, and the DSN that reaches `me` by
 * IMAP becomes a Permanently_Failed delivery report on the same channel, naming the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNCING_ADDRESS } from '#test/support/mail-servers.js';
import { TP } from './daemon-process.js';
import { mailboxSources, plain, startEmailDaemon, v, type EmailDaemon } from './email-daemon.js';

let e: EmailDaemon;
beforeAll(async () => { e = await startEmailDaemon(); }, 60_000);
afterAll(async () => { await e?.stop(); });

const MESSAGES = `${TP}.Channel.Interface.Messages`;
const text = (t: string) => [{}, { 'content-type': v('s', 'text/plain'), content: v('s', t) }];
const htmlAndText = (html: string, t: string) => [{},
  { 'content-type': v('s', 'text/html'), alternative: v('s', 'body'), content: v('s', html) },
  { 'content-type': v('s', 'text/plain'), alternative: v('s', 'body'), content: v('s', t) }];

describe('HTML through the real mail servers', () => {
  it('a message with text/html and text/plain alternatives arrives as one multipart/alternative mail', async () => {
    const conn = await e.connectMe();
    const channel = await e.textChannel(conn, e.servers.users.alice.address);
    await e.client.call(conn.busName, channel, MESSAGES, 'SendMessage', 'aa{sv}u', [htmlAndText('<p>lunch at <b>noon</b>?</p>', 'lunch at *noon*?'), 0]);
    await expect.poll(async () => (await mailboxSources(e.servers, e.servers.users.alice)).length, { timeout: 10_000 }).toBe(1);
    const [mail] = await mailboxSources(e.servers, e.servers.users.alice);
    expect(mail!.source).toMatch(/^Content-Type: multipart\/alternative;/m);
    const parts = mail!.source.split(/^--.+$/m).slice(1, -1);
    expect(parts.map((p) => /Content-Type: ([^;\s]+)/.exec(p)?.[1])).toEqual(['text/plain', 'text/html']); // MIME: plainest first
    expect(parts[0]).toContain('lunch at *noon*?');
    expect(parts[1]).toContain('<p>lunch at <b>noon</b>?</p>');
    await e.client.call(conn.busName, conn.path, `${TP}.Connection`, 'Disconnect');
  }, 60_000);
});

describe('a bounce through the real mail servers', () => {
  it('becomes a Permanently_Failed report matching the message, after the Accepted one; acknowledging it marks the DSN \\Seen', async () => {
    const conn = await e.connectMe();
    const channel = await e.textChannel(conn, BOUNCING_ADDRESS.toUpperCase());
    const [token] = await e.client.call(conn.busName, channel, MESSAGES, 'SendMessage', 'aa{sv}u', [text('are you there?'), 0]);
    const reportWith = (status: number) => (s: { path: string; member: string; body: unknown[] }) =>
      s.path === channel && s.member === 'MessageReceived' && plain(s.body[0])[0]!['delivery-status'] === status;
    const accepted = plain((await e.client.waitForSignal(reportWith(4), 20_000)).body[0]);
    expect(accepted[0]).toMatchObject({ 'message-type': 4, 'delivery-token': token });

    const failed = plain((await e.client.waitForSignal(reportWith(3), 30_000)).body[0]);
    expect(failed[0]).toMatchObject({
      'message-type': 4, 'delivery-token': token, 'message-sender-id': BOUNCING_ADDRESS,
      'delivery-dbus-error': `${TP}.Error.NotAvailable`,
    });
    expect(failed[1]?.['content']).toMatch(/^5\.1\.1 /); // the status code, then the server's words
    // The DSN is a report, not a chat with the mailer daemon.
    const channels = e.client.signals.filter((s) => s.member === 'NewChannels');
    expect(JSON.stringify(channels.map((s) => s.body))).not.toMatch(/mailer-daemon/i);

    const dsnSeen = async () => (await mailboxSources(e.servers, e.servers.users.me)).some((m) => m.seen && /delivery-status/i.test(m.source));
    expect(await dsnSeen()).toBe(false);
    await e.client.call(conn.busName, channel, `${TP}.Channel.Type.Text`, 'AcknowledgePendingMessages', 'au',
      [[failed[0]!['pending-message-id']]]);
    await expect.poll(dsnSeen, { timeout: 5000 }).toBe(true);
  }, 90_000);
});
