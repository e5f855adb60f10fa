import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebugStats } from '#telepathy/cli/debug-stats.js';
import type { MailUser } from '#test/support/mail-servers.js';
import type { SeenSignal } from '#test/telepathy/dbus/bus-client.js';
import { TP } from '#test/telepathy/dbus/daemon-process.js';
import { plain, startEmailDaemon, v, type EmailDaemon } from '#test/telepathy/dbus/email-daemon.js';

/**
 * The `email` protocol's speed through the real daemon, real Postfix and real Dovecot, each figure
 * next to the same path done with the mail libraries alone in the same run:
 * - sending: SendMessage → the mail in alice's INBOX, against nodemailer's sendMail → the same;
 *   both seen by one IMAP client polling alice's INBOX (STATUS every 2 ms);
 * - receiving: alice's mail accepted by Postfix → MessageReceived, against an imapflow client on
 *   the same mailbox noticing it by IDLE and fetching it; both notice the same mails.
 * Then 1,000 messages each way on one conversation (EMAIL_BULK overrides the count): none lost,
 * order kept, and memory flat: after a warm-up of {@link WARM_UP}, the daemon's RSS (asked for
 * on SIGUSR2, after a collection) may grow by {@link RSS_GROWTH_MB} at most, as in the soak.
 */

const MESSAGES = `${TP}.Channel.Interface.Messages`;
const ROUNDS = 20;
const BULK = Number(process.env.EMAIL_BULK ?? 1000);
/** Unmeasured first: RSS climbs while V8 and OpenSSL settle, then stays (see the printed figures). */
const WARM_UP = 200;
/** The bound on the daemon's RSS growth over each bulk run, after its warm-up. */
const RSS_GROWTH_MB = 10;
const MB = 1024 * 1024;
const results: string[] = [];
let e: EmailDaemon;

beforeAll(async () => { e = await startEmailDaemon({ CAVE_DEBUG_STATS: '1', NODE_OPTIONS: '--expose-gc' }); }, 60_000);
afterAll(async () => {
  await e?.stop();
  console.log(`\nemail benchmark (real daemon, Postfix and Dovecot on loopback, node ${process.version})\n${results.join('\n')}\n`);
});

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t: string) => [{}, { 'content-type': v('s', 'text/plain'), content: v('s', t) }];
const ratioLine = (what: string, cave: number, bare: number) =>
  `  ${what.padEnd(44)} ${cave.toFixed(1).padStart(7)} ms vs ${bare.toFixed(1).padStart(7)} ms = ${(cave / bare).toFixed(2)}× (target ≤ 2×)`;

/** The daemon's memory figures after a collection, through SIGUSR2 (see cli/debug-stats.ts). */
async function stats(): Promise<DebugStats> {
  await sleep(100); // signals queued after the last replies go out first
  const seen = e.daemon.stderr().length;
  e.daemon.child.kill('SIGUSR2');
  for (let i = 0; i < 400; i++) {
    const line = /telepathy-cave: stats (.*)\n/.exec(e.daemon.stderr().slice(seen));
    if (line) return JSON.parse(line[1]!) as DebugStats;
    await sleep(25);
  }
  throw new Error(`no stats from the daemon: ${e.daemon.stderr()}`);
}

/**
 * One line of figures, and the bounds asserted: RSS growth, and no kind of live resource more than
 * after the warm-up (a leak grows; the pooled SMTP connection may close while only mail arrives),
 * but for an Immediate in flight.
 */
function memoryLine(what: string, warm: DebugStats, after: DebugStats): void {
  const mb = (n: number) => (n / MB).toFixed(1);
  results.push(`    daemon after ${WARM_UP} warm-up ${what} → after ${BULK} more: RSS ${mb(warm.rss)} → ${mb(after.rss)} MB`
    + ` (${mb(after.rss - warm.rss)} MB, bound ${RSS_GROWTH_MB} MB), heap in use ${mb(warm.heapUsed)} → ${mb(after.heapUsed)} MB,`
    + ` external ${mb(warm.external)} → ${mb(after.external)} MB`);
  expect(after.rss - warm.rss, what).toBeLessThanOrEqual(RSS_GROWTH_MB * MB);
  // A pending setImmediate runs at the loop's next turn: one can be caught in flight (seen after the
  // 1,000 arrivals, in every run from one checkout and none from another), but none can pile up.
  const grown = Object.entries(after.resources).filter(([kind, n]) => kind !== 'Immediate' && n > (warm.resources[kind] ?? 0));
  expect(grown, `${what}: resources after ${JSON.stringify(after.resources)}, warm ${JSON.stringify(warm.resources)}`).toEqual([]);
}

function imap(user: MailUser): ImapFlow {
  const client = new ImapFlow({ host: e.servers.host, port: e.servers.ports.imaps, secure: true, logger: false,
    auth: { user: user.address, pass: user.password }, tls: { ca: e.servers.caPem }, autoIdleDelay: 100 });
  client.on('error', () => undefined);
  return client;
}

/** The same SMTP path cave takes: submission with STARTTLS over one pooled connection. */
const smtp = (user: MailUser) => nodemailer.createTransport({ pool: true, maxConnections: 1, host: e.servers.host, port: e.servers.ports.submission,
  requireTLS: true, auth: { user: user.address, pass: user.password }, tls: { ca: e.servers.caPem } });

async function count(client: ImapFlow): Promise<number> {
  const status = await client.status('INBOX', { messages: true });
  return status ? status.messages ?? 0 : 0;
}

async function until(test: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = now() + ms;
  while (!(await test())) {
    if (now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(2);
  }
}

/** `me` connected, with a channel to alice; every MessageReceived on it is acknowledged in batches. */
async function conversation() {
  const conn = await e.connectMe();
  const channel = await e.textChannel(conn, e.servers.users.alice.address);
  const received = () => e.client.signals.filter((s) => s.path === channel && s.member === 'MessageReceived');
  const acknowledge = async (signals: SeenSignal[]) => {
    const ids = signals.map((s) => plain(s.body[0])[0]!['pending-message-id']);
    if (ids.length > 0) await e.client.call(conn.busName, channel, `${TP}.Channel.Type.Text`, 'AcknowledgePendingMessages', 'au', [ids]);
  };
  const send = (t: string) => e.client.call(conn.busName, channel, MESSAGES, 'SendMessage', 'aa{sv}u', [text(t), 0]);
  return { conn, channel, received, acknowledge, send };
}

describe('email benchmark', () => {
  it('latency each way against the mail libraries alone, then 1,000 messages each way', async () => {
    const { alice, me } = e.servers.users;
    const chat = await conversation();
    const watcher = imap(alice);
    await watcher.connect();

    const sendCave: number[] = [];
    const sendBare: number[] = [];
    const bare = smtp(me);
    for (let i = 0; i < ROUNDS; i++) {
      let before = await count(watcher);
      let t0 = now();
      await chat.send(`latency ${i}`);
      await until(async () => (await count(watcher)) > before, 10_000, 'cave\'s mail');
      sendCave.push(now() - t0);
      before = await count(watcher);
      t0 = now();
      await bare.sendMail({ from: me.address, to: alice.address, subject: `bare ${i}`, text: `latency ${i}` });
      await until(async () => (await count(watcher)) > before, 10_000, 'the bare mail');
      sendBare.push(now() - t0);
    }
    bare.close();
    results.push(ratioLine('send: SendMessage → in alice\'s INBOX (median)', median(sendCave), median(sendBare)));

    const idler = imap(me);
    await idler.connect();
    await idler.mailboxOpen('INBOX');
    let noticed: number[] = [];
    idler.on('exists', (data: { count: number }) => {
      void idler.fetchOne(String(data.count), { source: true }).then(() => noticed.push(now()));
    });
    const fromAlice = smtp(alice);
    const receiveCave: number[] = [];
    const receiveBare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const before = chat.received();
      noticed = [];
      await fromAlice.sendMail({ from: alice.address, to: me.address, subject: 'lunch', text: `arrival ${i}` });
      const t0 = now();
      await until(() => chat.received().length > before.length, 10_000, 'MessageReceived');
      receiveCave.push(now() - t0);
      await until(() => noticed.length > 0, 10_000, 'the IDLE notice');
      receiveBare.push(noticed[0]! - t0);
      await chat.acknowledge(chat.received().slice(before.length));
    }
    fromAlice.close();
    await idler.logout();
    results.push(ratioLine('receive: accepted → MessageReceived (median)', median(receiveCave), median(receiveBare)));
    results.push(`    (medians of ${ROUNDS} rounds each; the bare receiver is an imapflow IDLE notice + fetch of the mail)`);

    await bulkOut(chat, watcher);
    await bulkIn(chat);
    await watcher.logout();
  }, 600_000);
});

type Chat = Awaited<ReturnType<typeof conversation>>;

/** `n` SendMessage calls; Accepted reports acknowledged in batches of 100, as a chat window would. */
async function sendAll(chat: Chat, label: string, n: number): Promise<void> {
  let acked = chat.received().length;
  const reportsBefore = acked;
  for (let i = 0; i < n; i++) {
    await chat.send(`${label} ${String(i).padStart(4, '0')}`);
    if (chat.received().length - acked >= 100) {
      const batch = chat.received().slice(acked);
      acked += batch.length;
      await chat.acknowledge(batch);
    }
  }
  await until(() => chat.received().length >= reportsBefore + n, 120_000, `${n} Accepted reports`);
  await chat.acknowledge(chat.received().slice(acked));
}

/** 1,000 SendMessage calls after a warm-up; all reach alice's INBOX, each In-Reply-To the one before. */
async function bulkOut(chat: Chat, watcher: ImapFlow): Promise<void> {
  await sendAll(chat, 'warm out', WARM_UP);
  const warm = await stats();
  const before = await count(watcher);
  const t0 = now();
  await sendAll(chat, 'bulk out', BULK);
  await until(async () => (await count(watcher)) >= before + BULK, 300_000, `${BULK} mails in alice's INBOX`);
  const seconds = (now() - t0) / 1000;
  const after = await stats();
  await watcher.mailboxOpen('INBOX');
  const mails: { n: number; id: string; inReplyTo: string }[] = [];
  for await (const m of watcher.fetch(`${before + 1}:*`, { envelope: true, source: true })) {
    const n = /bulk out (\d{4})/.exec(m.source?.toString() ?? '')?.[1];
    if (n !== undefined) mails.push({ n: Number(n), id: m.envelope?.messageId ?? '', inReplyTo: m.envelope?.inReplyTo ?? '' });
  }
  const inMailboxOrder = mails.every((m, i) => m.n === i);
  const byNumber = [...mails].sort((a, b) => a.n - b.n);
  const chained = byNumber.every((m, i) => i === 0 || m.inReplyTo === byNumber[i - 1]!.id);
  results.push(`  ${BULK} sent on one conversation: ${new Set(mails.map((m) => m.n)).size} distinct in alice's INBOX in ${seconds.toFixed(1)} s`
    + ` (${(BULK / seconds).toFixed(0)}/s); INBOX order = send order: ${inMailboxOrder}; In-Reply-To chain intact: ${chained}`);
  expect(byNumber.map((m) => m.n)).toEqual(Array.from({ length: BULK }, (_, i) => i));
  expect(chained).toBe(true);
  memoryLine('sends', warm, after);
}

/** `n` mails from alice, each MessageReceived acknowledged in batches of 100; the first one's index. */
async function receiveAll(chat: Chat, label: string, n: number): Promise<number> {
  const { alice, me } = e.servers.users;
  const first = chat.received().length;
  let acked = first;
  const pool = nodemailer.createTransport({ host: e.servers.host, port: e.servers.ports.submission, pool: true,
    requireTLS: true, auth: { user: alice.address, pass: alice.password }, tls: { ca: e.servers.caPem } });
  for (let i = 0; i < n; i++) {
    await pool.sendMail({ from: alice.address, to: me.address, subject: 'bulk', text: `${label} ${String(i).padStart(4, '0')}` });
    if (chat.received().length - acked >= 100) {
      const batch = chat.received().slice(acked);
      acked += batch.length;
      await chat.acknowledge(batch);
    }
  }
  pool.close();
  await until(() => chat.received().length >= first + n, 300_000, `${n} MessageReceived`);
  await chat.acknowledge(chat.received().slice(acked));
  return first;
}

/** 1,000 mails from alice after a warm-up; every one becomes a MessageReceived, in the order of me's INBOX. */
async function bulkIn(chat: Chat): Promise<void> {
  const { me } = e.servers.users;
  await receiveAll(chat, 'warm in', WARM_UP);
  const warm = await stats();
  const t0 = now();
  const first = await receiveAll(chat, 'bulk in', BULK);
  const seconds = (now() - t0) / 1000;
  const after = await stats();
  const texts = chat.received().slice(first).map((s) => String(plain(s.body[0])[1]!['content']));
  const reader = imap(me);
  await reader.connect();
  await reader.mailboxOpen('INBOX');
  const mailbox: string[] = [];
  for await (const m of reader.fetch('1:*', { source: true })) {
    const n = /bulk in \d{4}/.exec(m.source?.toString() ?? '')?.[0];
    if (n) mailbox.push(n);
  }
  await reader.logout();
  const postfixKeptOrder = mailbox.every((t, i) => t === `bulk in ${String(i).padStart(4, '0')}`);
  results.push(`  ${BULK} received on one conversation: ${new Set(texts).size} distinct MessageReceived in ${seconds.toFixed(1)} s`
    + ` (${(BULK / seconds).toFixed(0)}/s); same order as me's INBOX: ${texts.join() === mailbox.join()}`
    + ` (Postfix kept alice's send order: ${postfixKeptOrder})`);
  expect(texts).toEqual(mailbox);
  expect(new Set(texts).size).toBe(BULK);
  memoryLine('arrivals', warm, after);
}
