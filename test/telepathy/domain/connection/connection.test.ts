import { describe, expect, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { BusErrorNames } from '#sim/telepathy/bus-events.js';
import { connected, createChannel, errorOf, requestConnection, startHarness, tv } from '#test/telepathy/support/harness.js';

const C = Iface.Connection;

describe('connection status', () => {
  it('goes DISCONNECTED → CONNECTING → CONNECTED on Connect, before the reply, with the self presence', async () => {
    const { client, bus } = await startHarness();
    const conn = await requestConnection(client, 'me');
    const start = bus.log.length;
    await conn.call(C, 'Connect');
    const tail = bus.log.slice(start).map((e) => (e.kind === 'signal' ? `${e.member}${JSON.stringify(e.args)}` : e.kind));
    expect(tail).toEqual([
      'call',
      'StatusChanged[1,1]',
      'StatusChanged[0,1]',
      'PresencesChanged[{"1":[2,"available",""]}]',
      // The roster is local: it goes Waiting then Success at once.
      'ContactListStateChanged[1]',
      'ContactListStateChanged[3]',
      'reply',
    ]);
    expect(await conn.call(C, 'GetStatus')).toEqual([0]);
  });

  it('treats a second Connect as harmless', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client);
    const start = bus.log.length;
    await conn.call(C, 'Connect');
    expect(bus.log.slice(start).map((e) => e.kind)).toEqual(['call', 'reply']);
  });

  it('on Disconnect closes channels, then announces DISCONNECTED, then releases its name, then replies', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client);
    const { path } = await createChannel(conn, 'bob');
    const start = bus.log.length;
    await conn.call(C, 'Disconnect');
    const tail = bus.log.slice(start).map((e) =>
      e.kind === 'signal' ? `${e.member}${JSON.stringify(e.args)}` : e.kind === 'name-owner' ? `owner ${e.owner}` : e.kind,
    );
    expect(tail).toEqual(['call', 'Closed[]', `ChannelClosed["${path}"]`, 'StatusChanged[2,1]', 'owner null', 'reply']);
  });

  it('is gone for good after Disconnect', async () => {
    const { client } = await startHarness();
    const conn = await connected(client);
    await conn.call(C, 'Disconnect');
    expect(await errorOf(conn.call(C, 'Connect'))).toBe(BusErrorNames.ServiceUnknown);
  });

  it('can be disconnected before it ever connected', async () => {
    const { client, bus } = await startHarness();
    const conn = await requestConnection(client, 'me');
    await conn.call(C, 'Disconnect');
    expect(bus.log.some((e) => e.kind === 'signal' && e.member === 'StatusChanged' && e.args[0] === 2)).toBe(true);
  });

  it('exposes its properties through GetAll', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'Me');
    const all = await client.getAll(conn.busName, conn.path, C);
    expect(all).toEqual({
      Interfaces: tv('as', [Iface.Requests, Iface.Contacts, Iface.SimplePresence, Iface.ContactList, Iface.ContactGroups, Iface.Aliasing, Iface.Avatars]),
      SelfHandle: tv('u', 1),
      SelfID: tv('s', 'me'),
      Status: tv('u', 2),
      HasImmortalHandles: tv('b', true),
    });
  });

  it('answers the deprecated getters', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await conn.call(C, 'GetInterfaces')).toEqual([[Iface.Requests, Iface.Contacts, Iface.SimplePresence, Iface.ContactList, Iface.ContactGroups, Iface.Aliasing, Iface.Avatars]]);
    expect(await conn.call(C, 'GetProtocol')).toEqual(['echo']);
    expect(await errorOf(conn.call(C, 'GetSelfHandle'))).toBe(ErrorNames.Disconnected);
    await conn.call(C, 'Connect');
    expect(await conn.call(C, 'GetSelfHandle')).toEqual([1]);
  });

  it('accepts client interest tokens', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await conn.call(C, 'AddClientInterest', [['x']])).toEqual([]);
    expect(await conn.call(C, 'RemoveClientInterest', [['x']])).toEqual([]);
  });
});

describe('handles', () => {
  it('maps identifiers to immortal handles, case-insensitively, and back', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    const [handles] = (await conn.call(C, 'RequestHandles', [1, ['Bob', 'carol', 'BOB', 'me']])) as [number[]];
    expect(handles).toEqual([2, 3, 2, 1]);
    expect(await conn.call(C, 'InspectHandles', [1, handles])).toEqual([['bob', 'carol', 'bob', 'me']]);
    expect(await conn.call(C, 'HoldHandles', [1, handles])).toEqual([]);
    expect(await conn.call(C, 'ReleaseHandles', [1, handles])).toEqual([]);
    expect(await conn.call(C, 'InspectHandles', [1, [2]])).toEqual([['bob']]);
  });

  it.each(['InspectHandles', 'HoldHandles', 'ReleaseHandles'])('%s rejects unknown handles with InvalidHandle', async (member) => {
    const { client } = await startHarness();
    const conn = await connected(client);
    expect(await errorOf(conn.call(C, member, [1, [1, 99]]))).toBe(ErrorNames.InvalidHandle);
    expect(await errorOf(conn.call(C, member, [1, [0]]))).toBe(ErrorNames.InvalidHandle);
  });

  it('rejects an empty identifier with InvalidHandle', async () => {
    const { client } = await startHarness();
    const conn = await connected(client);
    expect(await errorOf(conn.call(C, 'RequestHandles', [1, ['ok', '']]))).toBe(ErrorNames.InvalidHandle);
  });

  it.each([
    ['contact-list handles', 3, ErrorNames.NotImplemented],
    ['no handle type', 0, ErrorNames.NotImplemented],
    ['a handle type that does not exist', 9, ErrorNames.InvalidArgument],
  ])('refuses %s', async (_what, type, error) => {
    const { client } = await startHarness();
    const conn = await connected(client);
    expect(await errorOf(conn.call(C, 'RequestHandles', [type, ['x']]))).toBe(error);
    expect(await errorOf(conn.call(C, 'InspectHandles', [type, [1]]))).toBe(error);
  });

  it('needs a connected connection', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    for (const member of ['RequestHandles', 'InspectHandles', 'HoldHandles', 'ReleaseHandles']) {
      const args = member === 'RequestHandles' ? [1, ['x']] : [1, [1]];
      expect(await errorOf(conn.call(C, member, args))).toBe(ErrorNames.Disconnected);
    }
  });

  it('rejects arguments of the wrong type with InvalidArgument', async () => {
    const { client } = await startHarness();
    const conn = await connected(client);
    expect(await errorOf(conn.call(C, 'RequestHandles', [-1, ['x']]))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(C, 'RequestHandles', [1, 'x']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(C, 'InspectHandles', [1, [1.5]]))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(C, 'AddClientInterest', [[1]]))).toBe(ErrorNames.InvalidArgument);
  });
});
