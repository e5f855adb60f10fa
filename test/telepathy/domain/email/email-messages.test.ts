import { describe, expect, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { createChannel, textMessage } from '#test/telepathy/support/harness.js';
import { htmlAndText } from '#test/telepathy/support/message-parts.js';
import { ALICE, ME, requestEmail, settle, startEmailHarness } from './email-harness.js';

type Parts = Record<string, TypedValue>[];
const header = (parts: unknown) => Object.fromEntries(Object.entries((parts as Parts)[0]!).map(([k, v]) => [k, v.value]));
const body = (parts: unknown) => (parts as Parts).slice(1).map((p) => p['content']?.value);

async function connectedMe() {
  const h = await startEmailHarness();
  const conn = await requestEmail(h.client);
  await conn.call(Iface.Connection, 'Connect');
  await settle();
  return { ...h, conn };
}

describe('text channels by mail', () => {
  it('sends each message as one mail of a thread, and reports the SMTP server accepting it', async () => {
    const { conn, network, client, signals } = await connectedMe();
    const { path, props } = await createChannel(conn, 'Alice@Cave.TEST');
    expect(props[`${Iface.Channel}.TargetID`]?.value).toBe(ALICE.address);
    expect(props[`${Iface.Messages}.DeliveryReportingSupport`]?.value).toBe(3);
    const [token] = await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [textMessage('hello by mail'), 0]);
    await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [textMessage('and again'), 0]);
    await settle();
    const [first, second] = network.sent;
    expect(first).toMatchObject({ from: ME.address, to: ALICE.address, text: 'hello by mail', references: [] });
    expect(first!.subject).toBe('Chat between me@cave.test and alice@cave.test');
    expect(second).toMatchObject({ subject: `Re: ${first!.subject}`, inReplyTo: first!.messageId, references: [first!.messageId] });
    const reports = signals('MessageReceived').map((s) => header(s.args[0]));
    expect(reports[0]).toMatchObject({ 'message-type': 4, 'delivery-status': 4, 'delivery-token': token });
    expect(signals('Received')).toEqual([]); // reports are not for the old Text API
  });

  it('reports a permanent refusal as Permanently_Failed and a temporary one as Temporarily_Failed', async () => {
    const { conn, network, client, signals } = await connectedMe();
    network.refuse('nobody@cave.test', 'permanently-refused');
    network.refuse('later@cave.test', 'temporarily-refused');
    for (const id of ['nobody@cave.test', 'later@cave.test']) {
      const { path } = await createChannel(conn, id);
      await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [textMessage('hi'), 0]);
    }
    await settle();
    expect(signals('MessageReceived').map((s) => header(s.args[0])['delivery-status'])).toEqual([3, 2]);
  });

  it('turns mail from a contact into an incoming channel with the new text only; acknowledging marks it \\Seen', async () => {
    const { conn, network, client, signals } = await connectedMe();
    const uid = network.deliver(ME.address, { from: 'ALICE@Cave.test', text: 'Yes!\n\nOn Mon, Bob wrote:\n> lunch?\n' });
    network.flush();
    await settle();
    const [announced] = signals('NewChannels').map((s) => (s.args[0] as [string, Record<string, TypedValue>][])[0]!);
    expect(announced![1][`${Iface.Channel}.Requested`]?.value).toBe(false);
    expect(announced![1][`${Iface.Channel}.TargetID`]?.value).toBe(ALICE.address);
    const [received] = signals('MessageReceived');
    expect(body(received!.args[0])).toEqual(['Yes!']);
    expect(network.isSeen(ME.address, uid)).toBe(false);
    const id = header(received!.args[0])['pending-message-id'];
    await client.call(conn.busName, announced![0], Iface.Text, 'AcknowledgePendingMessages', [[id]]);
    await settle();
    expect(network.isSeen(ME.address, uid)).toBe(true);
  });

  it('delivers mail that waited while offline as pending messages, after CONNECTED, once', async () => {
    const { network, client, signals } = await startEmailHarness();
    network.deliver(ME.address, { from: ALICE.address, text: 'first' });
    network.deliver(ME.address, { from: ALICE.address, text: 'second' });
    const conn = await requestEmail(client);
    await conn.call(Iface.Connection, 'Connect');
    await settle();
    network.flush();
    const order = signals().filter((s) => ['StatusChanged', 'NewChannels', 'MessageReceived'].includes(s.member));
    expect(order.map((s) => s.member)).toEqual(['StatusChanged', 'StatusChanged', 'NewChannels', 'MessageReceived', 'MessageReceived']);
    expect(signals('MessageReceived').map((s) => body(s.args[0])[0])).toEqual(['first', 'second']);
  });

  it('matches a bounce arriving later to the message it reports on', async () => {
    const { conn, network, client, signals } = await connectedMe();
    const { path } = await createChannel(conn, 'gone@example.org');
    const [token] = await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [textMessage('are you there?'), 0]);
    await settle();
    const original = network.sent[0]!;
    network.deliver(ME.address, {
      from: 'MAILER-DAEMON@cave.test', text: 'Undelivered Mail Returned to Sender',
      deliveryStatus: 'Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n',
      returnedHeaders: `Message-ID: ${original.messageId}\n`,
    });
    network.flush();
    await settle();
    const reports = signals('MessageReceived').map((s) => header(s.args[0]));
    expect(reports.at(-1)).toMatchObject({ 'message-type': 4, 'delivery-status': 3, 'delivery-token': token, 'message-sender-id': 'gone@example.org' });
  });
});

describe('HTML on an email channel', () => {
  it('offers text/html with a text/plain alternative, and sends both as one mail; MessageSent shows both', async () => {
    const { conn, network, client, signals } = await connectedMe();
    const { path, props } = await createChannel(conn, ALICE.address);
    expect(props[`${Iface.Messages}.SupportedContentTypes`]?.value).toEqual(['text/html', 'text/plain']);
    await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [htmlAndText('<p>see <b>this</b></p>', 'see *this*'), 0]);
    await settle();
    expect(network.sent).toEqual([expect.objectContaining({ text: 'see *this*', html: '<p>see <b>this</b></p>' })]);
    const [sent] = signals('MessageSent');
    expect((sent!.args[0] as Parts).slice(1).map((p) => [p['content-type']?.value, p['alternative']?.value, p['content']?.value]))
      .toEqual([['text/html', 'body', '<p>see <b>this</b></p>'], ['text/plain', 'body', 'see *this*']]);
  });

  it('sends a plain message as plain text only', async () => {
    const { conn, network, client } = await connectedMe();
    const { path } = await createChannel(conn, ALICE.address);
    await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [textMessage('just text'), 0]);
    await settle();
    expect(network.sent[0]).not.toHaveProperty('html');
  });
});
