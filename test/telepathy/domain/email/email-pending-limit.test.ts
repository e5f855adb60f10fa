import { describe, expect, it } from 'vitest';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { Limits } from '#telepathy/domain/limits/limits.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { SignalEvent } from '#sim/telepathy/bus-events.js';
import { createChannel, textMessage } from '#test/telepathy/support/harness.js';
import { ME, requestEmail, settle, startEmailHarness } from './email-harness.js';

type Parts = Record<string, TypedValue>[];
const header = (s: SignalEvent) => Object.fromEntries(Object.entries((s.args[0] as Parts)[0]!).map(([k, v]) => [k, v.value]));
const text = (s: SignalEvent) => (s.args[0] as Parts)[1]?.['content']?.value;
const LIMIT = Limits.pendingMessagesPerChannel;

async function connected(h: Awaited<ReturnType<typeof startEmailHarness>>) {
  const conn = await requestEmail(h.client);
  await conn.call(Iface.Connection, 'Connect');
  await settle();
  return conn;
}

/** `n` mails from `from`, numbered from `start`; their uids. */
function mails(h: Awaited<ReturnType<typeof startEmailHarness>>, from: string, start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => h.network.deliver(ME.address, { from, text: `${from} ${start + i}` }));
}

describe('email: a full pending queue leaves mail on the server', () => {
  it('delivers at most the limit per channel; the rest stays unseen and follows, in order, as the user acknowledges', async () => {
    const h = await startEmailHarness();
    const conn = await connected(h);
    const uids = mails(h, 'alice@cave.test', 0, LIMIT + 5);
    h.network.deliver(ME.address, { from: 'bob@cave.test', text: 'bob is not held up' });
    h.network.flush();
    await settle();
    const fromAlice = () => h.signals('MessageReceived').filter((s) => header(s)['message-sender-id'] === 'alice@cave.test');
    expect(fromAlice()).toHaveLength(LIMIT);
    expect(h.signals('MessageReceived').map(text)).toContain('bob is not held up');
    expect(uids.slice(LIMIT).map((uid) => h.network.isSeen(ME.address, uid))).toEqual([false, false, false, false, false]);

    h.network.flush(); // new mail noticed: the held mails still wait
    await settle();
    expect(fromAlice()).toHaveLength(LIMIT);

    const channel = h.signals('MessageReceived').find((s) => header(s)['message-sender-id'] === 'alice@cave.test')!.path;
    const ids = (n: number) => fromAlice().slice(0, n).map((s) => header(s)['pending-message-id']);
    await h.client.call(conn.busName, channel, Iface.Text, 'AcknowledgePendingMessages', [ids(3)]);
    await settle();
    expect(fromAlice().slice(LIMIT).map(text)).toEqual([LIMIT, LIMIT + 1, LIMIT + 2].map((n) => `alice@cave.test ${n}`));

    await h.client.call(conn.busName, channel, Iface.Text, 'AcknowledgePendingMessages', [fromAlice().slice(3).map((s) => header(s)['pending-message-id'])]);
    await settle();
    expect(fromAlice().map(text)).toEqual(Array.from({ length: LIMIT + 5 }, (_, i) => `alice@cave.test ${i}`));
  });

  it('holds mail waiting at sign-in past the limit too, and delivers it on acknowledgement', async () => {
    const h = await startEmailHarness();
    mails(h, 'alice@cave.test', 0, LIMIT + 2);
    const conn = await connected(h);
    h.network.flush();
    await settle();
    const received = () => h.signals('MessageReceived');
    expect(received()).toHaveLength(LIMIT);
    await h.client.call(conn.busName, received()[0]!.path, Iface.Text, 'AcknowledgePendingMessages', [[header(received()[0]!)['pending-message-id']]]);
    await settle();
    expect(received().slice(LIMIT).map(text)).toEqual([`alice@cave.test ${LIMIT}`]);
  });

  it('delivers what was held on the next connection', async () => {
    const h = await startEmailHarness();
    const first = await connected(h);
    mails(h, 'alice@cave.test', 0, LIMIT + 1);
    h.network.flush();
    await settle();
    await first.call(Iface.Connection, 'Disconnect');
    await settle();
    const before = h.signals('MessageReceived').length;
    await connected(h);
    h.network.flush();
    await settle();
    expect(h.signals('MessageReceived').slice(before).map(text)).toEqual(Array.from({ length: LIMIT }, (_, i) => `alice@cave.test ${i}`));
  });
});

describe('email: sent mail remembered for bounces', () => {
  it('matches a bounce to one of the last mails sent, not to one older than the limit', async () => {
    const h = await startEmailHarness();
    const conn = await connected(h);
    const { path } = await createChannel(conn, 'gone@example.org');
    for (let i = 0; i <= Limits.sentMailsRemembered; i++) {
      await h.client.call(conn.busName, path, Iface.Messages, 'SendMessage', [textMessage(`m${i}`), 0]);
    }
    await settle();
    await h.client.call(conn.busName, path, Iface.Text, 'ListPendingMessages', [true]); // the Accepted reports
    const bounce = (messageId: string) => h.network.deliver(ME.address, { from: 'MAILER-DAEMON@cave.test', text: 'returned',
      deliveryStatus: 'Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n', returnedHeaders: `Message-ID: ${messageId}\n` });
    bounce(h.network.sent[0]!.messageId);
    bounce(h.network.sent[1]!.messageId);
    h.network.flush();
    await settle();
    const last = h.signals('MessageReceived').slice(-2).map(header);
    expect(last.map((m) => [m['message-sender-id'], m['delivery-status']])).toEqual([['mailer-daemon@cave.test', undefined], ['gone@example.org', 3]]);
  });
});
