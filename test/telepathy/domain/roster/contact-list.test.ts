import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { builtinEchoContacts } from '#telepathy/domain/roster/echo-contacts.js';
import type { BusEvent } from '#sim/telepathy/bus-events.js';
import { connected, errorOf, requestConnection, startHarness, tv } from '#test/telepathy/support/harness.js';

const CL = Iface.ContactList;
const SUBSCRIBE = `${CL}/subscribe`;
const PUBLISH = `${CL}/publish`;
const REQUEST = `${CL}/publish-request`;
const ID = `${Iface.Connection}/contact-id`;
const [YES, ASK, NO] = [4, 3, 1];

/** What happened from the call to `member` on: signal names with their arguments, and the reply. */
function from(log: readonly BusEvent[], member: string): string[] {
  const start = log.map((e) => e.kind === 'call' && e.member === member).lastIndexOf(true);
  return log.slice(start + 1).map((e) => (e.kind === 'signal' ? `${e.member}${JSON.stringify(e.args)}` : e.kind));
}

async function roster(conn: Awaited<ReturnType<typeof connected>>, interfaces: string[] = []) {
  const [attributes] = (await conn.call(CL, 'GetContactListAttributes', [interfaces, false])) as [Record<string, Record<string, { value: unknown }>>];
  return Object.values(attributes).map((a) => [a[ID]?.value, a[SUBSCRIBE]?.value, a[PUBLISH]?.value, a[REQUEST]?.value]);
}

describe('the contact list', () => {
  it('is not there before connecting, then holds the built-in echo contacts, shared both ways', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await client.getAll(conn.busName, conn.path, CL)).toEqual({
      ContactListState: tv('u', 0),
      ContactListPersists: tv('b', false),
      CanChangeContactList: tv('b', true),
      RequestUsesMessage: tv('b', true),
      DownloadAtConnection: tv('b', true),
    });
    expect(await errorOf(conn.call(CL, 'GetContactListAttributes', [[], false]))).toBe(ErrorNames.Disconnected);
    await conn.call(Iface.Connection, 'Connect');
    expect((await client.getAll(conn.busName, conn.path, CL)).ContactListState).toEqual(tv('u', 3));
    expect(await roster(conn)).toEqual(builtinEchoContacts.map((c) => [c.id, YES, YES, undefined]));
    expect(builtinEchoContacts.map((c) => c.behaviour)).toEqual(['echo', 'delayed', 'failing']);
  });

  it('signals an added contact before the reply, and the echo accepting (and asking back) after it', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    const [[bob]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob@cave.example']])) as [[number]];
    await conn.call(CL, 'RequestSubscription', [[bob], 'may I?']);
    const id = { [bob]: 'bob@cave.example' };
    expect(from(bus.log, 'RequestSubscription')).toEqual([
      `ContactsChangedWithID${JSON.stringify([{ [bob]: [NO, NO, ''] }, id, {}])}`,
      `ContactsChanged${JSON.stringify([{ [bob]: [NO, NO, ''] }, []])}`,
      `ContactsChangedWithID${JSON.stringify([{ [bob]: [ASK, NO, ''] }, id, {}])}`,
      `ContactsChanged${JSON.stringify([{ [bob]: [ASK, NO, ''] }, []])}`,
      'reply',
      `ContactsChangedWithID${JSON.stringify([{ [bob]: [YES, ASK, 'may I?'] }, id, {}])}`,
      `ContactsChanged${JSON.stringify([{ [bob]: [YES, ASK, 'may I?'] }, []])}`,
    ]);
    expect((await roster(conn)).find(([id]) => id === 'bob@cave.example')).toEqual(['bob@cave.example', YES, ASK, 'may I?']);
    await conn.call(CL, 'AuthorizePublication', [[bob]]);
    expect((await roster(conn)).find(([id]) => id === 'bob@cave.example')).toEqual(['bob@cave.example', YES, YES, undefined]);
    await conn.call(CL, 'Unsubscribe', [[bob]]);
    await conn.call(CL, 'Unpublish', [[bob]]);
    expect((await roster(conn)).find(([id]) => id === 'bob@cave.example')).toEqual(['bob@cave.example', NO, NO, undefined]);
    await conn.call(CL, 'RemoveContacts', [[bob]]);
    expect(from(bus.log, 'RemoveContacts')).toEqual([`ContactsChangedWithID${JSON.stringify([{}, {}, id])}`, `ContactsChanged${JSON.stringify([{}, [bob]])}`, 'reply']);
    expect(await roster(conn)).toHaveLength(builtinEchoContacts.length);
  });

  it('gives its attributes through Contacts when asked for, and answers bad calls with spec errors', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    const [handle, attributes] = (await conn.call(Iface.Contacts, 'GetContactByID', ['Echo@cave.example', [CL, Iface.ContactGroups, Iface.Aliasing]])) as [number, object];
    expect(attributes).toEqual({
      [ID]: tv('s', 'echo@cave.example'),
      [SUBSCRIBE]: tv('u', YES),
      [PUBLISH]: tv('u', YES),
      [`${Iface.ContactGroups}/groups`]: tv('as', ['Echoes']),
      [`${Iface.Aliasing}/alias`]: tv('s', 'Echo'),
    });
    expect(await errorOf(conn.call(CL, 'RequestSubscription', [[handle, 999], '']))).toBe(ErrorNames.InvalidHandle);
    expect(await errorOf(conn.call(CL, 'RequestSubscription', [['x'], '']))).toBe(ErrorNames.InvalidArgument);
    await conn.call(CL, 'Download');
  });
});
