import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { BusEvent } from '#sim/telepathy/bus-events.js';
import { connected, errorOf, startHarness, tv } from '#test/telepathy/support/harness.js';

const CG = Iface.ContactGroups;
const AL = Iface.Aliasing;

function after(log: readonly BusEvent[], member: string): string[] {
  const start = log.map((e) => e.kind === 'call' && e.member === member).lastIndexOf(true);
  return log.slice(start + 1).map((e) => (e.kind === 'signal' ? `${e.member}${JSON.stringify(e.args)}` : e.kind));
}

describe('contact groups', () => {
  it('start with the echo contacts in Echoes; a new group is created before anyone joins it', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await client.getAll(conn.busName, conn.path, CG)).toEqual({ DisjointGroups: tv('b', false), GroupStorage: tv('u', 3), Groups: tv('as', ['Echoes']) });
    const [[bob]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob']])) as [[number]];
    await conn.call(CG, 'AddToGroup', ['Friends', [bob]]);
    expect(after(bus.log, 'AddToGroup').filter((s) => s.startsWith('Groups'))).toEqual([`GroupsCreated[["Friends"]]`, `GroupsChanged[[${bob}],["Friends"],[]]`]);
    expect(after(bus.log, 'AddToGroup').at(-1)).toBe('reply');
    await conn.call(CG, 'SetContactGroups', [bob, ['Work']]);
    expect(after(bus.log, 'SetContactGroups')).toEqual([`GroupsCreated[["Work"]]`, `GroupsChanged[[${bob}],["Work"],["Friends"]]`, 'reply']);
  });

  it('renames and removes groups with the signals in the spec order', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    const [[echo]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['echo@cave.example']])) as [[number]];
    await conn.call(CG, 'RenameGroup', ['Echoes', 'Echo chamber']);
    expect(after(bus.log, 'RenameGroup')).toEqual([
      'GroupRenamed["Echoes","Echo chamber"]',
      'GroupsCreated[["Echo chamber"]]',
      'GroupsRemoved[["Echoes"]]',
      `GroupsChanged[[${echo},3,4],["Echo chamber"],["Echoes"]]`,
      'reply',
    ]);
    expect(await errorOf(conn.call(CG, 'RenameGroup', ['nope', 'x']))).toBe(ErrorNames.DoesNotExist);
    await conn.call(CG, 'RemoveFromGroup', ['Echo chamber', [echo]]);
    await conn.call(CG, 'RemoveGroup', ['Echo chamber']);
    expect(after(bus.log, 'RemoveGroup')).toEqual(['GroupsRemoved[["Echo chamber"]]', 'GroupsChanged[[3,4],[],["Echo chamber"]]', 'reply']);
    expect((await client.getAll(conn.busName, conn.path, CG)).Groups).toEqual(tv('as', []));
    expect(await errorOf(conn.call(CG, 'AddToGroup', ['', [echo]]))).toBe(ErrorNames.InvalidArgument);
  });
});

describe('aliases', () => {
  it('name the echo contacts, show anyone else by identifier, and can be set for the connection', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me@example.com');
    const [handles] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['slow-echo@cave.example', 'bob']])) as [number[]];
    expect(await conn.call(AL, 'GetAliasFlags')).toEqual([1]);
    expect(await conn.call(AL, 'RequestAliases', [[1, ...handles]])).toEqual([['me@example.com', 'Slow Echo', 'bob']]);
    await conn.call(AL, 'SetAliases', [{ '1': 'Me', [String(handles[1])]: 'Bobby' }]);
    expect(after(bus.log, 'SetAliases')).toEqual([`AliasesChanged[[[1,"Me"],[${handles[1]},"Bobby"]]]`, 'reply']);
    expect(await conn.call(AL, 'GetAliases', [[1, handles[1]]])).toEqual([{ '1': 'Me', [String(handles[1])]: 'Bobby' }]);
    expect(await errorOf(conn.call(AL, 'SetAliases', [{ '99': 'x' }]))).toBe(ErrorNames.InvalidHandle);
    expect(await errorOf(conn.call(AL, 'SetAliases', [['x']]))).toBe(ErrorNames.InvalidArgument);
  });
});
