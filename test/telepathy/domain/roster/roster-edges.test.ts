import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { BusEvent } from '#sim/telepathy/bus-events.js';
import { connected, errorOf, startHarness, tv } from '#test/telepathy/support/harness.js';

const CL = Iface.ContactList;
const CG = Iface.ContactGroups;
const AL = Iface.Aliasing;

/** The signals (and the reply) that followed the last call to `member`. */
function after(log: readonly BusEvent[], member: string): string[] {
  const start = log.map((e) => e.kind === 'call' && e.member === member).lastIndexOf(true);
  return log.slice(start + 1).map((e) => (e.kind === 'signal' ? `${e.member}${JSON.stringify(e.args)}` : e.kind));
}

async function withBob() {
  const harness = await startHarness();
  const conn = await connected(harness.client, 'me');
  const [[bob]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob']])) as [[number]];
  return { ...harness, conn, bob: bob! };
}

describe('the contact list, for contacts who are not on it', () => {
  it('shows a stranger as neither subscribed nor published, in no group', async () => {
    const { conn, bob } = await withBob();
    const [attributes] = (await conn.call(Iface.Contacts, 'GetContactAttributes', [[bob], [CL, CG], false])) as [Record<string, Record<string, unknown>>];
    expect(attributes[String(bob)]).toMatchObject({ [`${CL}/subscribe`]: tv('u', 1), [`${CL}/publish`]: tv('u', 1), [`${CG}/groups`]: tv('as', []) });
  });

  it('answers Unsubscribe, Unpublish and RemoveContacts of a stranger with no signal, and leaves them off the list', async () => {
    const { conn, bus, bob } = await withBob();
    for (const member of ['Unsubscribe', 'Unpublish', 'RemoveContacts']) {
      await conn.call(CL, member, [[bob]]);
      expect(after(bus.log, member)).toEqual(['reply']);
    }
    const [attributes] = (await conn.call(CL, 'GetContactListAttributes', [[], false])) as [Record<string, unknown>];
    expect(Object.keys(attributes)).not.toContain(String(bob));
  });

  it('takes a removed contact out of its groups before removing it from the list', async () => {
    const { conn, bus, bob } = await withBob();
    await conn.call(CG, 'AddToGroup', ['Friends', [bob]]);
    await conn.call(CL, 'RemoveContacts', [[bob]]);
    expect(after(bus.log, 'RemoveContacts')).toEqual([
      `GroupsChanged[[${bob}],[],["Friends"]]`,
      `ContactsChangedWithID[{},{},{"${bob}":"bob"}]`,
      `ContactsChanged[{},[${bob}]]`,
      'reply',
    ]);
  });
});

describe('contact groups, when nothing changes', () => {
  it('signal nothing for a member added again, groups set to the same, or a non-member taken out', async () => {
    const { conn, bus, bob } = await withBob();
    await conn.call(CG, 'AddToGroup', ['Friends', [bob]]);
    await conn.call(CG, 'AddToGroup', ['Friends', [bob]]);
    expect(after(bus.log, 'AddToGroup')).toEqual(['reply']);
    await conn.call(CG, 'SetContactGroups', [bob, ['Friends']]);
    expect(after(bus.log, 'SetContactGroups')).toEqual(['reply']);
    await conn.call(CG, 'RemoveFromGroup', ['Echoes', [bob]]);
    expect(after(bus.log, 'RemoveFromGroup')).toEqual(['reply']);
  });

  it('ignore removing a group that does not exist', async () => {
    const { client, conn, bus } = await withBob();
    await conn.call(CG, 'RemoveGroup', ['Nobody']);
    expect(after(bus.log, 'RemoveGroup')).toEqual(['reply']);
    expect((await client.getAll(conn.busName, conn.path, CG)).Groups).toEqual(tv('as', ['Echoes']));
  });

  it('rename an empty group without moving anyone, and refuse a name already taken with NotAvailable', async () => {
    const { conn, bus, bob } = await withBob();
    await conn.call(CG, 'AddToGroup', ['Empty', []]);
    await conn.call(CG, 'RenameGroup', ['Empty', 'Still empty']);
    expect(after(bus.log, 'RenameGroup')).toEqual(['GroupRenamed["Empty","Still empty"]', 'GroupsCreated[["Still empty"]]', 'GroupsRemoved[["Empty"]]', 'reply']);
    await conn.call(CG, 'AddToGroup', ['Friends', [bob]]);
    expect(await errorOf(conn.call(CG, 'RenameGroup', ['Friends', 'Echoes']))).toBe(ErrorNames.NotAvailable);
  });
});

describe('aliases, when nothing changes', () => {
  it('signal no AliasesChanged for an alias set to what it already is', async () => {
    const { conn, bus, bob } = await withBob();
    await conn.call(AL, 'SetAliases', [{ [String(bob)]: 'bob' }]);
    expect(after(bus.log, 'SetAliases')).toEqual(['reply']);
  });
});
