import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { textMessage, textRequest, type Conn } from '#test/telepathy/support/harness.js';
import { ME, requestEmail, settle, startEmailHarness } from './email-harness.js';

type Parts = Record<string, TypedValue>[];
const CONTACTS = ['alice@cave.test', 'bob@example.org'];
const action = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), contact: fc.constantFrom(...CONTACTS) }),
  fc.record({ kind: fc.constant('arrive' as const), contact: fc.constantFrom(...CONTACTS) }),
  fc.record({ kind: fc.constantFrom('drop' as const, 'reconnect' as const, 'disconnect' as const) }),
);

/** Run one interleaving; the client acknowledges every message as soon as it sees it. */
async function run(actions: readonly { kind: string; contact?: string }[]) {
  const h = await startEmailHarness();
  let conn: Conn | undefined;
  let serial = 0;
  let acked = 0;
  const sends = new Map<string, { token: string; text: string }[]>(CONTACTS.map((c) => [c, []]));
  const arrivals = new Map<string, string[]>(CONTACTS.map((c) => [c, []]));
  const isConnected = async () => conn !== undefined && (await conn.call(Iface.Connection, 'GetStatus').catch(() => [2]))[0] === 0;
  const ackAll = async () => {
    const received = h.signals('MessageReceived');
    for (const signal of received.slice(acked)) {
      const id = (signal.args[0] as Parts)[0]!['pending-message-id']!.value;
      await h.client.call(conn!.busName, signal.path, Iface.Text, 'AcknowledgePendingMessages', [[id]]).catch(() => undefined);
    }
    acked = received.length;
  };
  for (const step of actions) {
    if (step.kind === 'send' && (await isConnected())) {
      const [, path] = (await conn!.call(Iface.Requests, 'EnsureChannel', [textRequest({ id: step.contact! })])) as [boolean, string];
      const text = `to ${step.contact} #${++serial}`;
      const [token] = (await h.client.call(conn!.busName, path, Iface.Messages, 'SendMessage', [textMessage(text), 0])) as [string];
      sends.get(step.contact!)!.push({ token, text });
    } else if (step.kind === 'arrive') {
      const text = `from ${step.contact} #${++serial}`;
      h.network.deliver(ME.address, { from: step.contact!, text });
      arrivals.get(step.contact!)!.push(text);
      h.network.flush();
    } else if (step.kind === 'drop') {
      h.network.drop(ME.address);
    } else if (step.kind === 'disconnect' && conn) {
      await conn.call(Iface.Connection, 'Disconnect').catch(() => undefined);
    } else if (step.kind === 'reconnect' && !(await isConnected())) {
      conn = await requestEmail(h.client).catch(() => conn);
      await conn?.call(Iface.Connection, 'Connect');
    }
    await settle();
    await ackAll();
  }
  if (!(await isConnected())) {
    conn = await requestEmail(h.client);
    await conn.call(Iface.Connection, 'Connect');
  }
  await settle();
  await ackAll();
  return { ...h, sends, arrivals };
}

describe('the email connection over any interleaving of sends, arrivals, drops and reconnections', () => {
  it('loses, duplicates and reorders nothing per contact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 25 }), async (actions) => {
        const { signals, network, sends, arrivals } = await run(actions);
        const messages = signals('MessageReceived').map((s) => (s.args[0] as Parts));
        const chat = messages.filter((parts) => parts[0]!['message-type']!.value !== 4);
        const failed = new Set(messages.filter((parts) => [2, 3].includes(parts[0]!['delivery-status']?.value as number))
          .map((parts) => parts[0]!['delivery-token']!.value));
        for (const contact of CONTACTS) {
          // Every mail that arrived is shown once, in order: acknowledged mail is \\Seen, the rest comes again.
          const shown = chat.filter((parts) => parts[0]!['message-sender-id']!.value === contact).map((parts) => parts[1]!['content']!.value);
          expect(shown).toEqual(arrivals.get(contact));
          // Every message sent went out once, in order, or was reported as failed.
          const expected = sends.get(contact)!.filter((m) => !failed.has(m.token)).map((m) => m.text);
          expect(network.sent.filter((m) => m.to === contact).map((m) => m.text)).toEqual(expected);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
