/**
 * A network drop mid-session, through the real daemon and real Dovecot and Postfix: Dovecot stops
 * while cave is connected; the connection reports Network_Error (so Mission Control retries), and
 * after reconnecting nothing received is lost: a mail shown but not acknowledged comes again,
 * and mail that arrived meanwhile is delivered.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TP } from './daemon-process.js';
import { plain, startEmailDaemon, type EmailDaemon } from './email-daemon.js';

let e: EmailDaemon;
beforeAll(async () => { e = await startEmailDaemon(); }, 60_000);
afterAll(async () => { await e?.stop(); });

function aliceSends(text: string) {
  const { alice, me } = e.servers.users;
  return nodemailer.createTransport({ host: e.servers.host, port: e.servers.ports.submission, requireTLS: true,
    auth: { user: alice.address, pass: alice.password }, tls: { ca: e.servers.caPem } })
    .sendMail({ from: alice.address, to: me.address, subject: 'drop test', text });
}

/** Texts of the chat messages received on `path`'s connection since signal number `from`. */
const receivedTexts = (connPath: string, from: number) => e.client.signals.slice(from)
  .filter((s) => s.path.startsWith(`${connPath}/`) && s.member === 'MessageReceived')
  .map((s) => String(plain(s.body[0])[1]?.['content']));

describe('a network drop through the real mail servers', () => {
  it('gives Network_Error; after reconnecting, unacknowledged and newly arrived mail is delivered', async () => {
    const first = e.client.signals.length;
    const conn = await e.connectMe();
    await aliceSends('before the drop');
    await expect.poll(() => receivedTexts(conn.path, first), { timeout: 10_000 }).toEqual(['before the drop']);

    await e.servers.imap.stop();
    const ended = await e.client.waitForSignal((s) => e.client.signals.indexOf(s) >= first && s.path === conn.path
      && s.member === 'StatusChanged' && s.body[0] === 2, 20_000);
    expect(ended.body).toEqual([2, 2]); // Disconnected, Network_Error: a client retries
    const errors = e.client.signals.slice(first).filter((s) => s.path === conn.path && s.member === 'ConnectionError');
    expect(errors.map((s) => s.body[0])).toEqual([`${TP}.Error.NetworkError`]);

    await e.servers.imap.start();
    await aliceSends('while away');
    const again = e.client.signals.length;
    const reconnected = await e.connectMe();
    await expect.poll(() => receivedTexts(reconnected.path, again), { timeout: 10_000 }).toEqual(['before the drop', 'while away']);
  }, 90_000);
});
