/**
 * The `email` protocol end to end: the real daemon on a private bus, real Dovecot and Postfix,
 * and telepathy-glib as the client. Mail cave sends must land in alice's mailbox; alice's reply,
 * quoting it, must come back as one clean chat line. The password must not leak anywhere.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { startMailServers, type MailServers } from '#test/support/mail-servers.js';
import { systemPython } from './clients.js';
import { readFile } from 'node:fs/promises';
import dbus from 'dbus-next';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, CM_PATH, spawnDaemon, TP, type DaemonProcess } from './daemon-process.js';

let servers: MailServers;
let bus: PrivateBus;
let daemon: DaemonProcess;
let home: string;

beforeAll(async () => {
  servers = await startMailServers();
  home = await mkdtemp(join(tmpdir(), 'cave-email-'));
  await writeFile(join(home, 'ca.pem'), servers.caPem);
  bus = await startPrivateBus({ env: activationEnv() });
  // The test CA is trusted the way a user would add one: NODE_EXTRA_CA_CERTS, no test-only parameter.
  daemon = spawnDaemon(bus.address, ['--verbose'], { NODE_EXTRA_CA_CERTS: join(home, 'ca.pem') });
  for (let waited = 0; !daemon.stderr().includes('serving'); waited += 50) {
    if (waited > 20_000) throw new Error(`the daemon did not start:\n${daemon.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}, 60_000);

afterAll(async () => {
  daemon?.child.kill('SIGTERM');
  await daemon?.exited;
  await bus?.stop();
  await servers?.stop();
  await rm(home, { recursive: true, force: true });
});

/** Alice's INBOX: each mail's subject, text, Message-ID and sender, read directly over IMAP. */
async function aliceInbox() {
  const { alice } = servers.users;
  const client = new ImapFlow({ host: servers.host, port: servers.ports.imaps, secure: true, logger: false,
    auth: { user: alice.address, pass: alice.password }, tls: { ca: servers.caPem } });
  await client.connect();
  const box = await client.mailboxOpen('INBOX');
  const found: { subject: string; from: string; messageId: string; source: string }[] = [];
  if (box.exists > 0) {
    for await (const m of client.fetch('1:*', { envelope: true, source: true })) {
      found.push({ subject: m.envelope?.subject ?? '', from: m.envelope?.from?.[0]?.address ?? '',
        messageId: m.envelope?.messageId ?? '', source: m.source?.toString() ?? '' });
    }
  }
  await client.logout();
  return found;
}

/** Run the Python client, resolving each `step: detail` line as it is printed. */
function runClient(contact: string) {
  const { me } = servers.users;
  const child = spawn(systemPython, [new URL('telepathy_glib_email_client.py', import.meta.url).pathname, contact], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, CAVE_EMAIL_ACCOUNT: 'Me@Cave.Test',
      CAVE_EMAIL_PASSWORD: me.password, CAVE_EMAIL_HOST: servers.host,
      CAVE_EMAIL_IMAP_PORT: String(servers.ports.imap) /* not 993, so STARTTLS */, CAVE_EMAIL_SMTP_PORT: String(servers.ports.submission) },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = async (step: string) => {
    const seen = () => out.includes(`\n${step}: `) || out.startsWith(`${step}: `);
    for (let waited = 0; !seen() && !out.includes('FAILED'); waited += 100) {
      if (waited > 40_000) throw new Error(`no ${step} line from the client:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!seen()) throw new Error(`the client failed:\n${out}`);
    return /^[a-z-]+: (.*)$/m.exec(out.split('\n').find((l) => l.startsWith(`${step}: `)) ?? '')?.[1];
  };
  return { line, exited, output: () => out };
}

describe('the email protocol through real mail servers', () => {
  it('telepathy-glib sends a mail to alice, and her quoting reply comes back as a clean chat line', async () => {
    const { alice, me } = servers.users;
    const client = runClient('Alice@Cave.Test');
    expect(await client.line('connected')).toBe('self=me@cave.test');
    expect(await client.line('channel')).toBe('alice@cave.test delivery-reporting=3');
    await client.line('sent');
    expect(await client.line('report')).toBe('delivery-status=4 is-report=True');

    await expect.poll(async () => (await aliceInbox()).length, { timeout: 10_000 }).toBe(1);
    const [mail] = await aliceInbox();
    expect(mail).toMatchObject({ from: me.address, subject: 'Chat between me@cave.test and alice@cave.test' });
    expect(mail!.source).toContain('hello alice, from telepathy-glib');

    await nodemailer.createTransport({ host: servers.host, port: servers.ports.submission, requireTLS: true,
      auth: { user: alice.address, pass: alice.password }, tls: { ca: servers.caPem } }).sendMail({
      from: `Alice <${alice.address}>`, to: me.address, subject: `Re: ${mail!.subject}`, inReplyTo: mail!.messageId,
      references: [mail!.messageId],
      text: `Hi! Got it.\n\nOn Tue, 1 Dec 2026, me@cave.test wrote:\n> hello alice, from telepathy-glib\n\n-- \nAlice\n`,
    });
    expect(await client.line('received')).toBe("'Hi! Got it.' from alice@cave.test");
    expect(await client.line('acknowledged')).toBe('pending=0');
    await client.line('disconnected');
    expect(await client.exited).toBe(0);

    // The verbose log says what happened, never the password.
    expect(daemon.stderr()).toContain('RequestConnection');
    expect(daemon.stderr()).not.toContain(me.password);
  }, 90_000);

  it('with a wrong password: ConnectionError AuthenticationFailed and Disconnected (3); the password is in no reply, signal, log or argument', async () => {
    const wrong = 'wrong-Secret-e2e-41c7';
    const client = await BusClient.connect(bus.address);
    const v = (signature: string, value: unknown) => new dbus.Variant(signature, value);
    const parameters = { account: v('s', 'me@cave.test'), password: v('s', wrong), 'imap-server': v('s', servers.host),
      'imap-port': v('q', servers.ports.imap), 'smtp-server': v('s', servers.host), 'smtp-port': v('q', servers.ports.submission) };
    const [busName, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['email', parameters])) as [string, string];
    await client.call(busName, path, `${TP}.Connection`, 'Connect');
    const ended = await client.waitForSignal((s) => s.path === path && s.member === 'StatusChanged' && s.body[0] === 2, 30_000);
    expect(ended.body).toEqual([2, 3]);
    const errors = client.signals.filter((s) => s.path === path && s.member === 'ConnectionError');
    expect(errors.map((s) => s.body[0])).toEqual(['org.freedesktop.Telepathy.Error.AuthenticationFailed']);
    // A bad parameter's error reply must not quote it either.
    const badPort = await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}',
      ['email', { ...parameters, 'imap-port': v('s', wrong) }]).then(() => undefined, (error: { type: string; text: string }) => error);
    expect(badPort?.type).toBe('org.freedesktop.Telepathy.Error.InvalidArgument');
    expect(badPort?.text).toMatch(/imap-port/);
    expect(badPort?.text).not.toContain(wrong);
    expect(JSON.stringify(client.signals, (_k, value: unknown) => (typeof value === 'bigint' ? String(value) : value))).not.toContain(wrong);
    expect(daemon.stderr()).not.toContain(wrong);
    const cmdline = await readFile(`/proc/${daemon.child.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain(wrong);
    client.disconnect();
  }, 60_000);
});
