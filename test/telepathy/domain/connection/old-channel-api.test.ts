/** The Connection interface's old channel API, which the spec still requires or allows: NewChannel, ListChannels, RequestChannel. */
import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { connected, createChannel, errorOf, requestConnection, signalNames, startHarness } from '#test/telepathy/support/harness.js';

const C = Iface.Connection;

describe('the old channel API on a connection', () => {
  it('lists the live channels as (path, type, handle type, handle)', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await conn.call(C, 'ListChannels')).toEqual([[]]);
    const { path } = await createChannel(conn, 'bob');
    expect(await conn.call(C, 'ListChannels')).toEqual([[[path, Iface.Text, 1, 2]]]);
  });

  it('answers RequestChannel with a new channel, announced by NewChannels then NewChannel after the reply', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    const [[bob]] = (await conn.call(C, 'RequestHandles', [1, ['bob']])) as [number[]];
    const start = bus.log.length;
    const [path] = await conn.call(C, 'RequestChannel', [Iface.Text, 1, bob, true]);
    expect(bus.log.slice(start).map((e) => (e.kind === 'signal' ? e.member : e.kind))).toEqual(['call', 'reply', 'NewChannels', 'NewChannel']);
    expect(bus.log.at(-1)).toMatchObject({ args: [path, Iface.Text, 1, bob, true] });
    expect(await conn.call(C, 'RequestChannel', [Iface.Text, 1, bob, false])).toEqual([path]);
    expect(signalNames(bus).filter((m) => m === 'NewChannel')).toHaveLength(1);
  });

  it.each([
    ['another channel type', [`${Iface.Channel}.Type.StreamedMedia`, 1, 2, true], ErrorNames.NotImplemented],
    ['an anonymous channel', [Iface.Text, 0, 0, true], ErrorNames.NotImplemented],
    ['a room', [Iface.Text, 2, 1, true], ErrorNames.NotImplemented],
    ['a handle never given out', [Iface.Text, 1, 99, true], ErrorNames.InvalidHandle],
    ['a wrongly typed argument', [Iface.Text, 1, 'bob', true], ErrorNames.InvalidArgument],
  ])('refuses RequestChannel for %s', async (_what, args, error) => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await errorOf(conn.call(C, 'RequestChannel', args))).toBe(error);
  });

  it('needs a live connection for both', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await errorOf(conn.call(C, 'ListChannels'))).toBe(ErrorNames.Disconnected);
    expect(await errorOf(conn.call(C, 'RequestChannel', [Iface.Text, 1, 1, true]))).toBe(ErrorNames.Disconnected);
  });
});
