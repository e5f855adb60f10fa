import { describe, expect, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { connected, errorOf, requestConnection, startHarness, tv } from '#test/telepathy/support/harness.js';

const ID = `${Iface.Connection}/contact-id`;
const PRESENCE = `${Iface.SimplePresence}/presence`;
const SP = Iface.SimplePresence;

describe('contacts', () => {
  it('lists the interfaces whose attributes it can give', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await client.getAll(conn.busName, conn.path, Iface.Contacts)).toEqual({
      ContactAttributeInterfaces: tv('as', [Iface.Connection, SP, Iface.ContactList, Iface.ContactGroups, Iface.Aliasing, Iface.Avatars]),
    });
  });

  it('gives contact attributes keyed by handle, omitting invalid handles and ignoring unknown interfaces', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob']]);
    const [attributes] = await conn.call(Iface.Contacts, 'GetContactAttributes', [[1, 2, 77], [SP, 'org.example.Nope'], false]);
    expect(attributes).toEqual({
      '1': { [ID]: tv('s', 'me'), [PRESENCE]: tv('(uss)', [2, 'available', '']) },
      '2': { [ID]: tv('s', 'bob'), [PRESENCE]: tv('(uss)', [2, 'available', '']) },
    });
  });

  it('always gives the contact identifier, even when no interface is asked for', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await conn.call(Iface.Contacts, 'GetContactAttributes', [[1], [], true])).toEqual([{ '1': { [ID]: tv('s', 'me') } }]);
  });

  it('finds a contact by identifier', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await conn.call(Iface.Contacts, 'GetContactByID', ['Bob', []])).toEqual([2, { [ID]: tv('s', 'bob') }]);
    expect(await errorOf(conn.call(Iface.Contacts, 'GetContactByID', ['', []]))).toBe(ErrorNames.InvalidHandle);
  });

  it('needs a connected connection', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await errorOf(conn.call(Iface.Contacts, 'GetContactAttributes', [[1], [], false]))).toBe(ErrorNames.Disconnected);
    expect(await errorOf(conn.call(Iface.Contacts, 'GetContactByID', ['bob', []]))).toBe(ErrorNames.Disconnected);
  });
});

describe('simple presence', () => {
  it('offers every status a desktop shows: available, away, xa, busy and hidden to set; offline, unknown and error to show', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await client.getAll(conn.busName, conn.path, SP)).toEqual({
      Statuses: tv('a{s(ubb)}', {
        available: [2, true, true],
        away: [3, true, true],
        xa: [4, true, true],
        busy: [6, true, true],
        hidden: [5, true, true],
        offline: [1, false, false],
        unknown: [7, false, false],
        error: [8, false, false],
      }),
      MaximumStatusMessageLength: tv('u', 0),
    });
  });

  it('changes the self presence and announces it, then the contacts echo it', async () => {
    const { client, bus } = await startHarness();
    const conn = await connected(client, 'me');
    await conn.call(SP, 'SetPresence', ['away', 'lunch']);
    const last = bus.log.filter((e) => e.kind === 'signal').at(-1);
    expect(last).toMatchObject({ member: 'PresencesChanged', args: [{ '1': [3, 'away', 'lunch'] }] });
    expect(await conn.call(SP, 'GetPresences', [[1, 2]]).catch((e) => e.dbusName)).toBe(ErrorNames.InvalidHandle);
    await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob']]);
    expect(await conn.call(SP, 'GetPresences', [[1, 2]])).toEqual([{ '1': [3, 'away', 'lunch'], '2': [3, 'away', 'lunch'] }]);
    await conn.call(SP, 'SetPresence', ['xa', 'gone']);
    const [self, contacts] = bus.log.filter((e) => e.kind === 'signal').slice(-2);
    expect([self, contacts]).toMatchObject([{ args: [{ '1': [4, 'xa', 'gone'] }] }, { args: [{ '2': [4, 'xa', 'gone'] }] }]);
  });

  it('lets you be hidden while your echo contacts stay available to talk to', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    await conn.call(Iface.Connection, 'RequestHandles', [1, ['bob']]);
    await conn.call(SP, 'SetPresence', ['hidden', 'shh']);
    expect(await conn.call(SP, 'GetPresences', [[1, 2]])).toEqual([{ '1': [5, 'hidden', 'shh'], '2': [2, 'available', 'shh'] }]);
  });

  it('remembers a presence set before connecting and uses it on connect', async () => {
    const { client, bus } = await startHarness();
    const conn = await requestConnection(client, 'me');
    await conn.call(SP, 'SetPresence', ['busy', 'coding']);
    expect(bus.log.some((e) => e.kind === 'signal' && e.member === 'PresencesChanged')).toBe(false);
    await conn.call(Iface.Connection, 'Connect');
    expect(bus.log.filter((e) => e.kind === 'signal' && e.member === 'PresencesChanged').at(-1)).toMatchObject({ args: [{ '1': [6, 'busy', 'coding'] }] });
  });

  it('refuses statuses that cannot be set', async () => {
    const { client } = await startHarness();
    const conn = await connected(client, 'me');
    expect(await errorOf(conn.call(SP, 'SetPresence', ['offline', '']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(SP, 'SetPresence', ['dancing', '']))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(conn.call(SP, 'SetPresence', ['toString', '']))).toBe(ErrorNames.InvalidArgument);
  });

  it('needs a connected connection to report presences', async () => {
    const { client } = await startHarness();
    const conn = await requestConnection(client, 'me');
    expect(await errorOf(conn.call(SP, 'GetPresences', [[1]]))).toBe(ErrorNames.Disconnected);
  });
});
