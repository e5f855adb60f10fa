import { describe, expect, it } from 'vitest';
import { CM_BUS_NAME, Iface, PROTOCOL_PATH } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { connected, createChannel, errorOf, requestConnection, startHarness, textRequest, tv } from '#test/telepathy/support/harness.js';

const R = Iface.Requests;
const CH = Iface.Channel;

describe('requesting text channels', () => {
  it('creates a channel whose properties describe a requested text chat, then announces it after the reply', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    const start = bus.log.length;
    const { path, props } = await createChannel(conn, 'Bob');
    expect(path.startsWith(`${conn.path}/`)).toBe(true);
    expect(props).toEqual({
      [`${CH}.ChannelType`]: tv('s', Iface.Text),
      [`${CH}.Interfaces`]: tv('as', [Iface.Messages, Iface.Destroyable, Iface.ChatState]),
      [`${CH}.TargetHandleType`]: tv('u', 1),
      [`${CH}.TargetHandle`]: tv('u', 2),
      [`${CH}.TargetID`]: tv('s', 'bob'),
      [`${CH}.InitiatorHandle`]: tv('u', 1),
      [`${CH}.InitiatorID`]: tv('s', 'me'),
      [`${CH}.Requested`]: tv('b', true),
      [`${Iface.Messages}.SupportedContentTypes`]: tv('as', ['text/plain']),
      [`${Iface.Messages}.MessageTypes`]: tv('au', [0, 1, 2]),
      [`${Iface.Messages}.MessagePartSupportFlags`]: tv('u', 0),
      [`${Iface.Messages}.DeliveryReportingSupport`]: tv('u', 3),
    });
    const tail = bus.log.slice(start);
    expect(tail.map((e) => (e.kind === 'signal' ? e.member : e.kind))).toEqual(['call', 'reply', 'NewChannels', 'NewChannel']);
    expect(tail[2]).toMatchObject({ path: conn.path, args: [[[path, props]]] });
    expect(tail[3]).toMatchObject({ path: conn.path, interface: Iface.Connection, args: [path, Iface.Text, 1, 2, true] });
  });

  it('accepts a target by handle, or by handle and matching identifier', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    const [[bob, carol]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob', 'carol']])) as [number[]];
    const [, byHandle] = (await conn.call(R, 'CreateChannel', [textRequest({ handle: bob })])) as [string, Record<string, unknown>];
    expect(byHandle[`${CH}.TargetID`]).toEqual(tv('s', 'bob'));
    const [, both] = (await conn.call(R, 'CreateChannel', [textRequest({ handle: carol, id: 'Carol' })])) as [string, Record<string, unknown>];
    expect(both[`${CH}.TargetHandle`]).toEqual(tv('u', carol));
  });

  it('lets a chat with oneself be opened too', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    const { props } = await createChannel(conn, 'me');
    expect(props[`${CH}.TargetHandle`]).toEqual(tv('u', 1));
  });

  it('refuses to create a second channel to the same contact', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    await createChannel(conn, 'bob');
    expect(await errorOf(createChannel(conn, 'BOB'))).toBe(ErrorNames.NotAvailable);
  });

  it('ensures: a new channel is yours and announced; the existing one is not yours and not announced', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    const [yours, path, props] = await conn.call(R, 'EnsureChannel', [textRequest({ id: 'bob' })]);
    expect(yours).toBe(true);
    expect(bus.log.at(-2)).toMatchObject({ kind: 'signal', member: 'NewChannels' });
    const start = bus.log.length;
    expect(await conn.call(R, 'EnsureChannel', [textRequest({ id: 'Bob' })])).toEqual([false, path, props]);
    expect(bus.log.slice(start).map((e) => e.kind)).toEqual(['call', 'reply']);
  });

  it('lists exactly the live channels in Channels', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    const bob = await createChannel(conn, 'bob');
    const carol = await createChannel(conn, 'carol');
    await client.call(conn.busName, bob.path, CH, 'Close');
    expect(await client.get(conn.busName, conn.path, R, 'Channels')).toEqual(tv('a(oa{sv})', [[carol.path, carol.props]]));
  });

  it("offers the protocol's requestable classes, text to a contact by handle or identifier first", async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    const classes = await client.get(conn.busName, conn.path, R, 'RequestableChannelClasses');
    expect(classes).toEqual(await client.get(CM_BUS_NAME, PROTOCOL_PATH, Iface.Protocol, 'RequestableChannelClasses'));
    expect((classes.value as unknown[])[0]).toEqual(
      [{ [`${CH}.ChannelType`]: tv('s', Iface.Text), [`${CH}.TargetHandleType`]: tv('u', 1) }, [`${CH}.TargetHandle`, `${CH}.TargetID`]],
    );
  });

  const base = textRequest({ id: 'bob' });
  const without = (key: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== `${CH}.${key}`));
  it.each([
    ['no channel type', without('ChannelType'), ErrorNames.NotImplemented],
    ['another channel type', { ...base, [`${CH}.ChannelType`]: tv('s', `${CH}.Type.Call1`) }, ErrorNames.NotImplemented],
    ['no target handle type', without('TargetHandleType'), ErrorNames.NotImplemented],
    ['contact-list targets', { ...base, [`${CH}.TargetHandleType`]: tv('u', 3) }, ErrorNames.NotImplemented],
    ['an unrequestable property', { ...base, [`${CH}.Requested`]: tv('b', true) }, ErrorNames.NotImplemented],
    ['no target', without('TargetID'), ErrorNames.InvalidArgument],
    ['a target handle and id that disagree', { ...base, [`${CH}.TargetHandle`]: tv('u', 1) }, ErrorNames.InvalidArgument],
    ['a wrongly typed property', { ...base, [`${CH}.TargetHandleType`]: tv('i', 1) }, ErrorNames.InvalidArgument],
    ['an invalid target handle', { ...without('TargetID'), [`${CH}.TargetHandle`]: tv('u', 42) }, ErrorNames.InvalidHandle],
    ['an empty target id', { ...base, [`${CH}.TargetID`]: tv('s', '') }, ErrorNames.InvalidHandle],
  ])('rejects a request with %s', async (_why, request, error) => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await errorOf(conn.call(R, 'CreateChannel', [request]))).toBe(error);
    expect(await errorOf(conn.call(R, 'EnsureChannel', [request]))).toBe(error);
  });

  it('needs a connected connection', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await errorOf(conn.call(R, 'CreateChannel', [base]))).toBe(ErrorNames.Disconnected);
    expect(await errorOf(conn.call(R, 'EnsureChannel', [base]))).toBe(ErrorNames.Disconnected);
  });
});
