import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { errorOf, signalNames } from '#test/telepathy/support/harness.js';
import { joinRoom, roomRequest } from './room-support.js';

const G = Iface.Group;

describe('an echo room, asked the unusual', () => {
  it('refuses to invite a contact who is not in it with PermissionDenied', async () => {
    const { conn, call, get } = await joinRoom();
    const [[zed]] = (await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, ['zed@elsewhere.example']])) as [[number]];
    expect((await get(G, 'Members')).value).not.toContain(zed);
    expect(await errorOf(call(G, 'AddMembers', [[zed], 'join us']))).toBe(ErrorNames.PermissionDenied);
  });

  it('stays joined when RemoveMembers names nobody', async () => {
    const { harness, path, call, get } = await joinRoom();
    const members = (await get(G, 'Members')).value;
    await call(G, 'RemoveMembers', [[], '']);
    expect((await get(G, 'Members')).value).toEqual(members);
    expect(signalNames(harness.bus, path)).not.toContain('Closed');
  });

  it('refuses a request whose TargetHandle and TargetID name different rooms with InvalidArgument', async () => {
    const { conn } = await joinRoom();
    const [[other]] = (await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Room, ['Kitchen']])) as [[number]];
    expect(await errorOf(conn.call(Iface.Requests, 'CreateChannel', [roomRequest({ id: 'Garden', handle: other })]))).toBe(ErrorNames.InvalidArgument);
  });
});
