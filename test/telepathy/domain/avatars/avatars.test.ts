import { describe, expect, it } from 'vitest';
import { avatarToken } from '#telepathy/domain/avatars/avatar-token.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { CM_BUS_NAME, Iface, PROTOCOL_PATH } from '#telepathy/domain/names/names.js';
import type { BusEvent } from '#sim/telepathy/bus-events.js';
import { MemoryAvatarStore, stubPicture } from '#sim/telepathy/memory-avatar-store.js';
import { connected, errorOf, requestConnection, startHarness, tv } from '#test/telepathy/support/harness.js';

const AV = Iface.Avatars;
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

function after(log: readonly BusEvent[], member: string): string[] {
  const start = log.map((e) => e.kind === 'call' && e.member === member).lastIndexOf(true);
  return log.slice(start + 1).map((e) => (e.kind === 'signal' ? `${e.member}[${e.args.slice(0, 2).join(',')}]` : e.kind));
}

async function withEchoContacts(store = new MemoryAvatarStore()) {
  const harness = await startHarness({ avatars: store });
  const conn = await connected(harness.client, 'me@example.com');
  const [handles] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['echo@cave.example', 'broken-echo@cave.example', 'bob']])) as [number[]];
  return { ...harness, conn, store, echo: handles[0]!, broken: handles[1]!, bob: handles[2]! };
}

const tokenOf = (file: string) => avatarToken(stubPicture(file).bytes, 'image/png');

describe('avatars', () => {
  it('give each echo contact the token of its picture, anyone else none, in GetKnownAvatarTokens and the contact attribute', async () => {
    const { conn, echo, bob } = await withEchoContacts();
    expect(await conn.call(AV, 'GetKnownAvatarTokens', [[1, echo, bob]])).toEqual([{ '1': '', [echo]: tokenOf('echo.png'), [bob]: '' }]);
    const [attributes] = (await conn.call(Iface.Contacts, 'GetContactAttributes', [[echo], [AV], false])) as [Record<string, Record<string, unknown>>];
    expect(attributes[echo]?.[`${AV}/token`]).toEqual(tv('s', tokenOf('echo.png')));
    expect(await errorOf(conn.call(AV, 'GetKnownAvatarTokens', [[99]]))).toBe(ErrorNames.InvalidHandle);
  });

  it('send each picture asked for in AvatarRetrieved after the reply, and skip the ones that cannot be read', async () => {
    const { conn, bus, store, echo, broken, bob } = await withEchoContacts();
    store.unreadable.add('broken-echo.png');
    await conn.call(AV, 'RequestAvatars', [[echo, broken, bob, echo]]);
    expect(after(bus.log, 'RequestAvatars')).toEqual(['reply', `AvatarRetrieved[${echo},${tokenOf('echo.png')}]`]);
    const retrieved = [...bus.log].reverse().find((e) => e.kind === 'signal' && e.member === 'AvatarRetrieved');
    expect(retrieved?.kind === 'signal' && retrieved.args.slice(2)).toEqual([stubPicture('echo.png').bytes, 'image/png']);
    expect(await conn.call(AV, 'RequestAvatar', [echo])).toEqual([stubPicture('echo.png').bytes, 'image/png']);
    expect(await errorOf(conn.call(AV, 'RequestAvatar', [bob]))).toBe(ErrorNames.NotAvailable);
    expect(await errorOf(conn.call(AV, 'RequestAvatars', [[echo, 99]]))).toBe(ErrorNames.InvalidHandle);
  });

  it("keep the user's own picture for the connection: SetAvatar and ClearAvatar announce AvatarUpdated before the reply", async () => {
    const { conn, bus } = await withEchoContacts();
    const [token] = (await conn.call(AV, 'SetAvatar', [PNG, 'image/png'])) as [string];
    expect(token).toBe(avatarToken(PNG, 'image/png'));
    expect(after(bus.log, 'SetAvatar')).toEqual([`AvatarUpdated[1,${token}]`, 'reply']);
    await conn.call(AV, 'SetAvatar', [PNG, 'image/png']);
    expect(after(bus.log, 'SetAvatar')).toEqual(['reply']); // the same picture: no change to announce
    expect(await conn.call(AV, 'GetKnownAvatarTokens', [[1]])).toEqual([{ '1': token }]);
    expect(await conn.call(AV, 'RequestAvatar', [1])).toEqual([PNG, 'image/png']);
    await conn.call(AV, 'ClearAvatar');
    expect(after(bus.log, 'ClearAvatar')).toEqual(['AvatarUpdated[1,]', 'reply']);
    await conn.call(AV, 'ClearAvatar');
    expect(after(bus.log, 'ClearAvatar')).toEqual(['reply']);
  });

  it('refuse a picture of the wrong type or size with InvalidArgument, and everything before connecting with Disconnected', async () => {
    const { conn, client } = await withEchoContacts();
    expect(await errorOf(conn.call(AV, 'SetAvatar', [PNG, 'image/svg+xml']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(AV, 'SetAvatar', [new Uint8Array(65537), 'image/png']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(AV, 'SetAvatar', ['png', 'image/png']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(AV, 'SetAvatar', [new Uint8Array(), 'image/png']))).toBe(ErrorNames.InvalidArgument);
    const idle = await requestConnection(client, 'other');
    for (const [member, args] of [['RequestAvatars', [[1]]], ['RequestAvatar', [1]], ['SetAvatar', [PNG, 'image/png']], ['GetAvatarRequirements', []]] as const) {
      expect(await errorOf(idle.call(AV, member, [...args]))).toBe(ErrorNames.Disconnected);
    }
  });

  it('state the same requirements on the connection and, before connecting, on the Protocol object', async () => {
    const { conn, client } = await withEchoContacts();
    const onProtocol = await client.getAll(CM_BUS_NAME, PROTOCOL_PATH, Iface.ProtocolAvatars);
    expect(await client.getAll(conn.busName, conn.path, AV)).toEqual(onProtocol);
    expect(onProtocol).toMatchObject({ SupportedAvatarMIMETypes: tv('as', ['image/png', 'image/jpeg', 'image/gif']), MaximumAvatarBytes: tv('u', 65536) });
    expect(await conn.call(AV, 'GetAvatarRequirements')).toEqual([['image/png', 'image/jpeg', 'image/gif'], 0, 0, 0, 0, 65536]);
    const [interfaces] = (await client.call(CM_BUS_NAME, PROTOCOL_PATH, 'org.freedesktop.DBus.Properties', 'Get', [Iface.Protocol, 'Interfaces'])) as [{ value: string[] }];
    expect(interfaces.value).toContain(Iface.ProtocolAvatars);
  });

  it('leave every contact without a picture when the manager has no store', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me@example.com');
    const [[echo]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['echo@cave.example']])) as [[number]];
    expect(await conn.call(AV, 'GetKnownAvatarTokens', [[echo]])).toEqual([{ [echo]: '' }]);
  });
});
