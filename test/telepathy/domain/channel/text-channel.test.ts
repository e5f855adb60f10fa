import { describe, expect, it, vi } from 'vitest';
import { TextChannel } from '#telepathy/domain/channel/text-channel.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { BusErrorNames } from '#sim/telepathy/bus-events.js';
import { connected, createChannel, errorOf, startHarness, textMessage, textRequest, tv, type Harness } from '#test/telepathy/support/harness.js';

const CH = Iface.Channel;
const T = Iface.Text;
const M = Iface.Messages;
const NOW = 1_700_000_000;

async function chat(h: Harness) {
  const conn = await connected(h.client, 'me');
  const { path, props } = await createChannel(conn, 'bob');
  const call = (iface: string, member: string, args: unknown[] = []) => h.client.call(conn.busName, path, iface, member, args);
  return { conn, path, props, call };
}

const summary = (h: Harness, from: number) =>
  h.bus.log.slice(from).map((e) => (e.kind === 'signal' ? e.member : e.kind));

describe('text channel: Messages interface', () => {
  it('replies to SendMessage with a token, then MessageSent/Sent, then later the echo as MessageReceived/Received', async () => {
    const h = await startHarness();
    const { conn, path, call } = await chat(h);
    const start = h.bus.log.length;
    const [token] = await call(M, 'SendMessage', [textMessage('hello'), 0]);
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent']);
    h.timer.advance(24);
    expect(summary(h, start)).toHaveLength(4);
    h.timer.advance(1);
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent', 'MessageReceived', 'Received']);
    const [sent, , received, old] = h.bus.log.slice(start + 2);
    expect(sent).toMatchObject({
      args: [
        [
          {
            'message-type': tv('u', 0),
            'message-sender': tv('u', 1),
            'message-sender-id': tv('s', 'me'),
            'message-sent': tv('x', BigInt(NOW)),
            'message-token': tv('s', token),
          },
          { 'content-type': tv('s', 'text/plain'), content: tv('s', 'hello') },
        ],
        0,
        token,
      ],
    });
    const echo = [
      {
        'pending-message-id': tv('u', 1),
        'message-sender': tv('u', 2),
        'message-sender-id': tv('s', 'bob'),
        'message-received': tv('x', BigInt(NOW)),
        'message-sent': tv('x', BigInt(NOW)),
        'message-type': tv('u', 0),
        'message-token': expect.objectContaining({ signature: 's' }),
      },
      { 'content-type': tv('s', 'text/plain'), content: tv('s', 'hello') },
    ];
    expect(received).toMatchObject({ args: [echo] });
    expect(old).toMatchObject({ args: [1, NOW, 2, 0, 0, 'hello'] });
    expect(await h.client.get(conn.busName, path, M, 'PendingMessages')).toEqual(tv('aaa{sv}', [echo]));
  });

  it('sends without building every immutable property (~6 µs of each echo)', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    const built = vi.spyOn(TextChannel.prototype, 'immutableProperties');
    await call(M, 'SendMessage', [textMessage('hello'), 0]);
    expect(built).not.toHaveBeenCalled();
    built.mockRestore();
  });

  it('keeps the message type and joins several text parts', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    const parts = [...textMessage('waves', 1), { 'content-type': tv('s', 'Text/Plain'), content: tv('s', '!') }];
    await call(M, 'SendMessage', [parts, 0]);
    h.timer.runAll();
    expect(h.bus.log.at(-1)).toMatchObject({ member: 'Received', args: [1, NOW, 2, 1, 0, 'waves!'] });
    expect(await call(M, 'GetPendingMessageContent', [1, [2, 1]])).toEqual([{ '1': tv('s', 'waves'), '2': tv('s', '!') }]);
  });

  it.each([
    ['no parts', []],
    ['no body', [{}]],
    ['an unsupported message type', textMessage('x', 4)],
    ['a non-text part', [{}, { 'content-type': tv('s', 'image/png'), content: tv('ay', [1]) }]],
    ['a text part without content', [{}, { 'content-type': tv('s', 'text/plain') }]],
    ['a wrongly typed header', [{ 'message-type': tv('s', 'normal') }, { 'content-type': tv('s', 'text/plain'), content: tv('s', 'x') }]],
    ['parts that are not variant maps', [{ 'message-type': 0 }]],
  ])('rejects a message with %s, emitting nothing', async (_why, parts) => {
    const h = await startHarness();
    const { call } = await chat(h);
    const start = h.bus.log.length;
    expect(await errorOf(call(M, 'SendMessage', [parts, 0]))).toBe(ErrorNames.InvalidArgument);
    expect(summary(h, start)).toEqual(['call', 'error']);
  });

  it('gives pending content only for real messages and body parts', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    await call(M, 'SendMessage', [textMessage('hi'), 0]);
    h.timer.runAll();
    expect(await errorOf(call(M, 'GetPendingMessageContent', [9, [1]]))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(call(M, 'GetPendingMessageContent', [1, [0]]))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(call(M, 'GetPendingMessageContent', [1, [2]]))).toBe(ErrorNames.InvalidArgument);
  });

  it('reads its channel and message properties with GetAll', async () => {
    const h = await startHarness();
    const { conn, path, props } = await chat(h);
    const channel = await h.client.getAll(conn.busName, path, CH);
    expect(channel['TargetID']).toEqual(tv('s', 'bob'));
    expect(Object.keys(channel).length).toBe(8);
    const messages = await h.client.getAll(conn.busName, path, M);
    expect(messages['MessageTypes']).toEqual(props[`${M}.MessageTypes`]);
    expect(messages['PendingMessages']).toEqual(tv('aaa{sv}', []));
    expect(await h.client.getAll(conn.busName, path, T)).toEqual({});
    expect(await h.client.getAll(conn.busName, path, Iface.Destroyable)).toEqual({});
  });
});

describe('text channel: old Text API', () => {
  it('replies to Send, then Sent, then the echo as Received with the same text', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    const start = h.bus.log.length;
    expect(await call(T, 'Send', [2, 'notice me'])).toEqual([]);
    h.timer.runAll();
    expect(summary(h, start)).toEqual(['call', 'reply', 'MessageSent', 'Sent', 'MessageReceived', 'Received']);
    expect(h.bus.log.at(-3)).toMatchObject({ member: 'Sent', args: [NOW, 2, 'notice me'] });
    expect(h.bus.log.at(-1)).toMatchObject({ member: 'Received', args: [1, NOW, 2, 2, 0, 'notice me'] });
  });

  it('rejects message types it cannot send', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    expect(await errorOf(call(T, 'Send', [3, 'auto']))).toBe(ErrorNames.InvalidArgument);
  });

  it('lists, acknowledges and clears pending messages', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    for (const text of ['a', 'b', 'c']) await call(T, 'Send', [0, text]);
    h.timer.runAll();
    h.clock.ms += 5000;
    expect(await call(T, 'GetMessageTypes')).toEqual([[0, 1, 2]]);
    expect(await call(T, 'ListPendingMessages', [false])).toEqual([
      [
        [1, NOW, 2, 0, 0, 'a'],
        [2, NOW, 2, 0, 0, 'b'],
        [3, NOW, 2, 0, 0, 'c'],
      ],
    ]);
    const start = h.bus.log.length;
    await call(T, 'AcknowledgePendingMessages', [[2]]);
    expect(h.bus.log.slice(start)).toMatchObject([{ kind: 'call' }, { member: 'PendingMessagesRemoved', args: [[2]] }, { kind: 'reply' }]);
    expect(await errorOf(call(T, 'AcknowledgePendingMessages', [[1, 2]]))).toBe(ErrorNames.InvalidArgument);
    expect((await call(T, 'ListPendingMessages', [true]))[0]).toHaveLength(2);
    expect(h.bus.log.at(-2)).toMatchObject({ member: 'PendingMessagesRemoved', args: [[1, 3]] });
    expect(await call(T, 'ListPendingMessages', [true])).toEqual([[]]);
    expect(h.bus.log.at(-2)).toMatchObject({ kind: 'call' });
    await call(T, 'AcknowledgePendingMessages', [[]]);
    expect(h.bus.log.at(-2)).toMatchObject({ kind: 'call' });
  });
});

describe('text channel: closing', () => {
  it('answers the deprecated Channel getters', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    expect(await call(CH, 'GetChannelType')).toEqual([T]);
    expect(await call(CH, 'GetHandle')).toEqual([1, 2]);
    expect(await call(CH, 'GetInterfaces')).toEqual([[M, Iface.Destroyable, Iface.ChatState]]);
  });

  it('on Close without pending messages emits Closed, then ChannelClosed, before the reply, and leaves the bus', async () => {
    const h = await startHarness();
    const { conn, path, call } = await chat(h);
    const start = h.bus.log.length;
    await call(CH, 'Close');
    expect(summary(h, start)).toEqual(['call', 'Closed', 'ChannelClosed', 'reply']);
    expect(h.bus.log.at(-2)).toMatchObject({ path: conn.path, args: [path] });
    expect(await errorOf(call(CH, 'Close'))).toBe(BusErrorNames.UnknownMethod);
  });

  it('comes back as an incoming channel from the contact when closed with messages pending', async () => {
    const h = await startHarness();
    const { conn, path, props, call } = await chat(h);
    await call(M, 'SendMessage', [textMessage('unread'), 0]);
    h.timer.runAll();
    const start = h.bus.log.length;
    await call(CH, 'Close');
    expect(summary(h, start)).toEqual(['call', 'Closed', 'ChannelClosed', 'NewChannels', 'NewChannel', 'reply']);
    expect(h.bus.log.at(-2)).toMatchObject({ member: 'NewChannel', args: [path, T, 1, 2, false] });
    const respawned = {
      ...props,
      [`${CH}.Requested`]: tv('b', false),
      [`${CH}.InitiatorHandle`]: tv('u', 2),
      [`${CH}.InitiatorID`]: tv('s', 'bob'),
    };
    expect(h.bus.log.at(-3)).toMatchObject({ args: [[[path, respawned]]] });
    expect(await call(T, 'ListPendingMessages', [false])).toEqual([[[1, NOW, 2, 0, 8, 'unread']]]);
    const [pending] = await h.client.get(conn.busName, path, M, 'PendingMessages').then((v) => v.value as Record<string, unknown>[][]);
    expect(pending![0]!['rescued']).toEqual(tv('b', true));
    expect(await conn.call(Iface.Requests, 'EnsureChannel', [textRequest({ id: 'bob' })])).toEqual([false, path, respawned]);
  });

  it('is destroyed for good, pending messages and all, by Destroy', async () => {
    const h = await startHarness();
    const { conn, call } = await chat(h);
    await call(M, 'SendMessage', [textMessage('unread'), 0]);
    h.timer.runAll();
    const start = h.bus.log.length;
    await call(Iface.Destroyable, 'Destroy');
    expect(summary(h, start)).toEqual(['call', 'Closed', 'ChannelClosed', 'reply']);
    expect(await h.client.get(conn.busName, conn.path, Iface.Requests, 'Channels')).toEqual(tv('a(oa{sv})', []));
  });

  it('delivers an echo still on its way before closing, so a closed chat comes back with it', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    await call(M, 'SendMessage', [textMessage('quick'), 0]);
    const start = h.bus.log.length;
    await call(CH, 'Close');
    expect(summary(h, start)).toEqual(['call', 'MessageReceived', 'Received', 'Closed', 'ChannelClosed', 'NewChannels', 'NewChannel', 'reply']);
    h.timer.runAll();
    expect(summary(h, start)).toHaveLength(8);
    expect(await call(T, 'ListPendingMessages', [false])).toEqual([[[1, NOW, 2, 0, 8, 'quick']]]);
  });

  it('rejects arguments of the wrong type', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    expect(await errorOf(call(T, 'Send', [0, 42]))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(call(T, 'ListPendingMessages', ['yes']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(call(M, 'SendMessage', [textMessage('x'), -1]))).toBe(ErrorNames.InvalidArgument);
  });
});
