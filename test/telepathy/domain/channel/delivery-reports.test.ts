import { describe, expect, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import { connected, createChannel, startHarness, textMessage, tv, type Harness } from '#test/telepathy/support/harness.js';

const T = Iface.Text;
const M = Iface.Messages;
const NOW = 1_700_000_000;

async function chatWith(h: Harness, id: string) {
  const conn = await connected(h.client, 'me');
  const { path, props } = await createChannel(conn, id);
  const call = (iface: string, member: string, args: unknown[] = []) => h.client.call(conn.busName, path, iface, member, args);
  return { conn, path, props, call };
}

const summary = (h: Harness, from: number) => h.bus.log.slice(from).map((e) => (e.kind === 'signal' ? e.member : e.kind));

describe('delivery reports', () => {
  it('are offered for failures and successes', async () => {
    const h = await startHarness();
    const { props } = await chatWith(h, 'bob');
    expect(props[`${M}.DeliveryReportingSupport`]).toEqual(tv('u', 3));
  });

  it('report Delivered, later, for a message sent with Report_Delivery, then the echo', async () => {
    const h = await startHarness();
    const { call } = await chatWith(h, 'bob');
    const start = h.bus.log.length;
    const [token] = await call(M, 'SendMessage', [textMessage('did you get it?'), 1]);
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent']);
    expect(h.bus.log.at(-2)).toMatchObject({ args: [expect.anything(), 1, token] });
    h.timer.runAll();
    expect(summary(h, start).slice(4)).toEqual(['MessageReceived', 'Received', 'MessageReceived', 'Received']);
    const [, , , , report, oldReport, echo] = h.bus.log.slice(start);
    expect(report).toMatchObject({
      args: [[{ 'message-type': tv('u', 4), 'message-sender-id': tv('s', 'bob'), 'delivery-status': tv('u', 1), 'delivery-token': tv('s', token), 'pending-message-id': tv('u', 1) }]],
    });
    expect(Object.keys((report as unknown as { args: [Record<string, unknown>[]] }).args[0][0]!)).not.toContain('delivery-error');
    // The old API shows a report as a message with Non_Text_Content and no text.
    expect(oldReport).toMatchObject({ args: [1, NOW, 2, 4, 2, ''] });
    expect(echo).toMatchObject({ args: [[{ 'pending-message-id': tv('u', 2) }, { content: tv('s', 'did you get it?') }]] });
  });

  it('are not sent for success unless asked for', async () => {
    const h = await startHarness();
    const { call } = await chatWith(h, 'bob');
    const start = h.bus.log.length;
    await call(M, 'SendMessage', [textMessage('quiet'), 0]);
    h.timer.runAll();
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent', 'MessageReceived', 'Received']);
  });

  it('report Permanently_Failed with the original message, and SendError, for a contact that cannot receive; no echo', async () => {
    const h = await startHarness();
    const { call } = await chatWith(h, 'fail@example.com');
    const start = h.bus.log.length;
    const [token] = await call(M, 'SendMessage', [textMessage('anyone there?'), 0]);
    h.timer.runAll();
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent', 'MessageReceived', 'Received', 'SendError']);
    const sent = h.bus.log[start + 2] as unknown as { args: [Record<string, unknown>[]] };
    const [, , , , report, , sendError] = h.bus.log.slice(start);
    expect(report).toMatchObject({
      args: [[{ 'message-type': tv('u', 4), 'delivery-status': tv('u', 3), 'delivery-error': tv('u', 2), 'delivery-token': tv('s', token), 'delivery-echo': tv('aa{sv}', sent.args[0]) }]],
    });
    expect(sendError).toMatchObject({ interface: T, args: [2, NOW, 0, 'anyone there?'] });
    // A report waits to be acknowledged like any received message.
    expect(await call(T, 'ListPendingMessages', [true])).toEqual([[[1, NOW, 2, 4, 2, '']]]);
  });

  it('come back from the slow contact only after a second', async () => {
    const h = await startHarness();
    const { call } = await chatWith(h, 'slow@example.com');
    const start = h.bus.log.length;
    await call(T, 'Send', [0, 'take your time']);
    h.timer.advance(999);
    expect(summary(h, start)).toHaveLength(4);
    h.timer.advance(1);
    expect(summary(h, start).slice(4)).toEqual(['MessageReceived', 'Received']);
  });

  it("follow the roster: broken-echo@cave.example fails like fail@…, slow-echo@cave.example answers after a second", async () => {
    const h = await startHarness();
    const broken = await chatWith(h, 'broken-echo@cave.example');
    let start = h.bus.log.length;
    await broken.call(M, 'SendMessage', [textMessage('hello?'), 0]);
    h.timer.runAll();
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent', 'MessageReceived', 'Received', 'SendError']);
    const { path } = await createChannel(broken.conn, 'slow-echo@cave.example');
    start = h.bus.log.length;
    await h.client.call(broken.conn.busName, path, T, 'Send', [0, 'take your time']);
    h.timer.advance(999);
    expect(summary(h, start)).toHaveLength(4);
    h.timer.advance(1);
    expect(summary(h, start).slice(4)).toEqual(['MessageReceived', 'Received']);
  });
});
