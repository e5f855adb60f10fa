import { describe, expect, it } from 'vitest';
import { CM_BUS_NAME, CM_PATH, Iface, PROTOCOL_PATH } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { connected, errorOf, requestConnection, startHarness, tv } from '#test/telepathy/support/harness.js';

const CM = Iface.ConnectionManager;

describe('connection manager', () => {
  it('owns its well-known name once started', async () => {
    const { bus, service } = await startHarness();
    expect(bus.ownerOf(CM_BUS_NAME)).toBe(service.uniqueName);
  });

  it('lists echo as its only protocol, with one required string parameter', async () => {
    const { client } = await startHarness();
    expect(await client.call(CM_BUS_NAME, CM_PATH, CM, 'ListProtocols')).toEqual([['echo']]);
    expect(await client.call(CM_BUS_NAME, CM_PATH, CM, 'GetParameters', ['echo'])).toEqual([[['account', 1, 's', tv('s', '')]]]);
  });

  it('refuses parameters of an unknown protocol', async () => {
    const { client } = await startHarness();
    expect(await errorOf(client.call(CM_BUS_NAME, CM_PATH, CM, 'GetParameters', ['irc']))).toBe(ErrorNames.NotImplemented);
  });

  it('describes the protocol in its Protocols property and on the protocol object', async () => {
    const { client } = await startHarness();
    const all = await client.getAll(CM_BUS_NAME, CM_PATH, CM);
    expect(all['Interfaces']).toEqual(tv('as', []));
    const echo = (all['Protocols']!.value as Record<string, Record<string, unknown>>)['echo']!;
    expect(all['Protocols']!.signature).toBe('a{sa{sv}}');
    expect(echo[`${Iface.Protocol}.ConnectionInterfaces`]).toEqual(tv('as', [Iface.Requests, Iface.Contacts, Iface.SimplePresence, Iface.ContactList, Iface.ContactGroups, Iface.Aliasing, Iface.Avatars]));
    expect(echo[`${Iface.Protocol}.Parameters`]).toEqual(tv('a(susv)', [['account', 1, 's', tv('s', '')]]));
    const protocol = await client.getAll(CM_BUS_NAME, PROTOCOL_PATH, Iface.Protocol);
    expect(Object.keys(protocol).sort()).toEqual(
      ['AuthenticationTypes', 'ConnectionInterfaces', 'EnglishName', 'Icon', 'Interfaces', 'Parameters', 'RequestableChannelClasses', 'VCardField'],
    );
    const target = [`${Iface.Channel}.TargetHandle`, `${Iface.Channel}.TargetID`];
    const fixed = (type: string, handleType: number) => ({ [`${Iface.Channel}.ChannelType`]: tv('s', type), [`${Iface.Channel}.TargetHandleType`]: tv('u', handleType) });
    expect(protocol['RequestableChannelClasses']).toEqual(
      tv('a(a{sv}as)', [
        [fixed(Iface.Text, 1), target],
        [fixed(Iface.Text, 2), target],
        [fixed(Iface.RoomList, 0), []],
      ]),
    );
  });

  it('identifies accounts and normalises contacts through the protocol object', async () => {
    const { client } = await startHarness();
    const P = Iface.Protocol;
    expect(await client.call(CM_BUS_NAME, PROTOCOL_PATH, P, 'IdentifyAccount', [{ account: tv('s', 'Me@Example.COM') }])).toEqual(['me@example.com']);
    expect(await client.call(CM_BUS_NAME, PROTOCOL_PATH, P, 'NormalizeContact', [' Bob '])).toEqual(['bob']);
    expect(await errorOf(client.call(CM_BUS_NAME, PROTOCOL_PATH, P, 'NormalizeContact', ['  ']))).toBe(ErrorNames.InvalidHandle);
    expect(await errorOf(client.call(CM_BUS_NAME, PROTOCOL_PATH, P, 'IdentifyAccount', [{}]))).toBe(ErrorNames.InvalidArgument);
  });

  it('creates a disconnected connection named after the escaped account, announced by NewConnection', async () => {
    const { client, bus, service } = await startHarness();
    const conn = await requestConnection(client, 'Me@Example.com');
    expect(conn.busName).toBe('org.freedesktop.Telepathy.Connection.cave.echo.me_40example_2ecom');
    expect(conn.path).toBe('/org/freedesktop/Telepathy/Connection/cave/echo/me_40example_2ecom');
    expect(bus.ownerOf(conn.busName)).toBe(service.uniqueName);
    const kinds = bus.log.slice(-3).map((e) => (e.kind === 'signal' ? e.member : e.kind));
    expect(kinds).toEqual(['name-owner', 'NewConnection', 'reply']);
    expect(await conn.call(Iface.Connection, 'GetStatus')).toEqual([2]);
  });

  it.each([
    ['a missing account', {}],
    ['an account of the wrong type', { account: tv('u', 7) }],
    ['an empty account', { account: tv('s', ' ') }],
    ['an unknown parameter', { account: tv('s', 'me'), server: tv('s', 'example.com') }],
  ])('rejects %s with InvalidArgument', async (_why, parameters) => {
    const { client } = await startHarness();
    const result = client.call(CM_BUS_NAME, CM_PATH, CM, 'RequestConnection', ['echo', parameters]);
    expect(await errorOf(result)).toBe(ErrorNames.InvalidArgument);
  });

  it('rejects an unknown protocol with NotImplemented', async () => {
    const { client } = await startHarness();
    const result = client.call(CM_BUS_NAME, CM_PATH, CM, 'RequestConnection', ['irc', { account: tv('s', 'me') }]);
    expect(await errorOf(result)).toBe(ErrorNames.NotImplemented);
  });

  it('rejects arguments of the wrong shape with InvalidArgument', async () => {
    const { client } = await startHarness();
    expect(await errorOf(client.call(CM_BUS_NAME, CM_PATH, CM, 'RequestConnection', ['echo', 'account=me']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(client.call(CM_BUS_NAME, CM_PATH, CM, 'RequestConnection', ['echo', { account: 'me' }]))).toBe(ErrorNames.InvalidArgument);
  });

  it('refuses a second live connection for the same account, in any case', async () => {
    const { client } = await startHarness();
    await requestConnection(client, 'me');
    expect(await errorOf(requestConnection(client, 'ME'))).toBe(ErrorNames.NotAvailable);
  });

  it('allows the account again once its connection is disconnected', async () => {
    const { client } = await startHarness();
    const first = await connected(client, 'me');
    await first.call(Iface.Connection, 'Disconnect');
    const second = await requestConnection(client, 'me');
    expect(second.busName).toBe(first.busName);
  });

  it('answers NotAvailable and keeps nothing when another connection owns the name', async () => {
    const { client, bus, manager } = await startHarness();
    const squatter = bus.client();
    expect(squatter.requestName('org.freedesktop.Telepathy.Connection.cave.echo.me')).toBe(true);
    expect(await errorOf(requestConnection(client, 'me'))).toBe(ErrorNames.NotAvailable);
    expect(manager.liveConnections).toBe(0);
    squatter.vanish();
    await requestConnection(client, 'me');
    expect(manager.liveConnections).toBe(1);
  });

  it('reports the number of live connections as it changes', async () => {
    const { client, manager } = await startHarness();
    const counts: number[] = [];
    const stop = manager.onConnectionCountChange((n) => counts.push(n));
    const a = await requestConnection(client, 'a');
    await connected(client, 'b');
    await a.call(Iface.Connection, 'Disconnect');
    stop();
    await manager.shutdown();
    expect(counts).toEqual([1, 2, 1]);
    expect(manager.liveConnections).toBe(0);
  });

  it('disconnects every connection with the proper signals on shutdown', async () => {
    const { client, bus, manager } = await startHarness();
    const a = await connected(client, 'a');
    await requestConnection(client, 'b');
    await manager.shutdown();
    const statuses = bus.log.flatMap((e) => (e.kind === 'signal' && e.member === 'StatusChanged' ? [[e.path, ...e.args]] : []));
    expect(statuses.slice(-2)).toEqual(
      expect.arrayContaining([
        [a.path, 2, 1],
        ['/org/freedesktop/Telepathy/Connection/cave/echo/b', 2, 1],
      ]),
    );
    expect(bus.ownerOf(a.busName)).toBeUndefined();
    expect(await errorOf(a.call(Iface.Connection, 'GetStatus'))).toBe('org.freedesktop.DBus.Error.ServiceUnknown');
  });

  it('answers UnknownMethod for a method the manager does not have', async () => {
    const { client } = await startHarness();
    expect(await errorOf(client.call(CM_BUS_NAME, CM_PATH, CM, 'Frobnicate'))).toBe(ErrorNames.UnknownMethod);
  });
});
