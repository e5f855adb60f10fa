import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Limits } from '#telepathy/domain/limits/limits.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { builtinEchoContacts } from '#telepathy/domain/roster/echo-contacts.js';
import { roomListRequest, roomRequest } from '#test/telepathy/domain/room/room-support.js';
import {
  connected,
  createChannel,
  errorOf,
  requestConnection,
  signalNames,
  startHarness,
  textMessage,
  textRequest,
  type Conn,
  type Harness,
} from '#test/telepathy/support/harness.js';

const M = Iface.Messages;
const T = Iface.Text;
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

async function chat(h: Harness) {
  const conn = await connected(h.client, 'me');
  const { path } = await createChannel(conn, 'bob');
  return { conn, path, call: (iface: string, member: string, args: unknown[] = []) => h.client.call(conn.busName, path, iface, member, args) };
}

describe('limits: connections per manager', () => {
  it('refuses one connection past the bound with NotAvailable, and takes one again after a Disconnect', async () => {
    const h = await startHarness();
    const conns: Conn[] = [];
    for (const account of range(Limits.connectionsPerManager, 'user')) conns.push(await requestConnection(h.client, account));
    expect(await errorOf(requestConnection(h.client, 'one-too-many'))).toBe(ErrorNames.NotAvailable);
    await conns[0]!.call(Iface.Connection, 'Disconnect');
    expect((await requestConnection(h.client, 'one-too-many')).busName).toMatch(/one_2dtoo_2dmany$/);
  });
});

describe('limits: channels per connection', () => {
  it('counts text channels, rooms and room lists together; Ensure of a live one still answers; a Close makes room', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    await conn.call(Iface.Requests, 'CreateChannel', [roomRequest({ id: 'lobby' })]);
    await conn.call(Iface.Requests, 'CreateChannel', [roomListRequest()]);
    const paths: string[] = [];
    for (const id of range(Limits.channelsPerConnection - 2, 'c')) paths.push((await createChannel(conn, id)).path);
    const before = signalNames(h.bus).length;
    for (const request of [textRequest({ id: 'late' }), roomRequest({ id: 'hall' }), roomListRequest()]) {
      expect(await errorOf(conn.call(Iface.Requests, 'CreateChannel', [request]))).toBe(ErrorNames.NotAvailable);
    }
    expect(await errorOf(conn.call(Iface.Requests, 'EnsureChannel', [textRequest({ id: 'late' })]))).toBe(ErrorNames.NotAvailable);
    expect(signalNames(h.bus).length).toBe(before);
    const [yours, existing] = await conn.call(Iface.Requests, 'EnsureChannel', [textRequest({ id: 'c0' })]);
    expect([yours, existing]).toEqual([false, paths[0]]);
    await h.client.call(conn.busName, paths[0]!, Iface.Channel, 'Close');
    expect((await createChannel(conn, 'late')).path).toMatch(/TextChannel/);
  });
});

describe('limits: handles per connection', () => {
  it('gives out handles up to the bound, then NotAvailable for new identifiers while known ones still resolve', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    const used = ((await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, ['me']])) as [number[]])[0][0]!;
    const ids = range(Limits.handlesPerConnection - used, 'c');
    const [handles] = (await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, ids])) as [number[]];
    expect(handles.at(-1)).toBe(Limits.handlesPerConnection);
    expect(await errorOf(conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, ['newcomer']]))).toBe(ErrorNames.NotAvailable);
    expect(await errorOf(conn.call(Iface.Contacts, 'GetContactByID', ['newcomer', []]))).toBe(ErrorNames.NotAvailable);
    expect(await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, ['c0']])).toEqual([[handles[0]]]);
    expect(await errorOf(createChannel(conn, 'newcomer'))).toBe(ErrorNames.NotAvailable);
  });

  it('takes identifiers up to the length bound and answers InvalidHandle past it', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    const longest = 'x'.repeat(Limits.identifierLength);
    expect((await createChannel(conn, longest)).props[`${Iface.Channel}.TargetID`]).toEqual({ signature: 's', value: longest });
    expect(await errorOf(createChannel(conn, `${longest}x`))).toBe(ErrorNames.InvalidHandle);
    expect(await errorOf(conn.call(Iface.Requests, 'CreateChannel', [roomRequest({ id: `${longest}x` })]))).toBe(ErrorNames.InvalidHandle);
  });
});

describe('limits: pending messages per channel', () => {
  it('refuses the send that would overfill the queue, with NotAvailable and no signal; acknowledging makes room', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    for (const text of range(Limits.pendingMessagesPerChannel, 'm')) await call(T, 'Send', [0, text]);
    // Echoes on their way count as much as those arrived: the queue is full before any arrives.
    expect(await errorOf(call(T, 'Send', [0, 'early']))).toBe(ErrorNames.NotAvailable);
    h.timer.advance(60_000);
    const before = h.bus.log.length;
    expect(await errorOf(call(M, 'SendMessage', [textMessage('lost?'), 0]))).toBe(ErrorNames.NotAvailable);
    expect(await errorOf(call(T, 'Send', [0, 'lost?']))).toBe(ErrorNames.NotAvailable);
    expect(h.bus.log.slice(before).filter((e) => e.kind === 'signal')).toEqual([]);
    await call(T, 'AcknowledgePendingMessages', [[1]]);
    await call(M, 'SendMessage', [textMessage('kept'), 0]);
    h.timer.advance(60_000);
    const [pending] = (await call(T, 'ListPendingMessages', [false])) as [unknown[][]];
    expect(pending).toHaveLength(Limits.pendingMessagesPerChannel);
    expect(pending.at(-1)?.[5]).toBe('kept');
  });
});

describe('limits: message size', () => {
  it('sends the most parts and text allowed, and refuses one part or one character more with InvalidArgument', async () => {
    const h = await startHarness();
    const { call } = await chat(h);
    const part = (text: string) => ({ 'content-type': { signature: 's', value: 'text/plain' }, content: { signature: 's', value: text } });
    await call(M, 'SendMessage', [[{}, ...range(Limits.messageParts, 'p').map(part)], 0]);
    expect(await errorOf(call(M, 'SendMessage', [[{}, ...range(Limits.messageParts + 1, 'p').map(part)], 0]))).toBe(ErrorNames.InvalidArgument);
    const longest = 'y'.repeat(Limits.messageLength);
    await call(T, 'Send', [0, longest]);
    expect(await errorOf(call(T, 'Send', [0, `${longest}y`]))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(call(M, 'SendMessage', [textMessage(`${longest}y`), 0]))).toBe(ErrorNames.InvalidArgument);
    h.timer.advance(60_000);
    const [pending] = (await call(T, 'ListPendingMessages', [false])) as [unknown[][]];
    expect(pending.map((p) => String(p[5]).length)).toEqual([Limits.messageParts * 2 + 6, Limits.messageLength]);
  });
});

describe('limits: contacts on the roster', () => {
  it('adds contacts up to the bound, then refuses a request that would pass it with NotAvailable and changes nothing', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    const room = Limits.rosterContacts - builtinEchoContacts.length;
    const [handles] = (await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, range(room + 2, 'r')])) as [number[]];
    await conn.call(Iface.ContactList, 'AuthorizePublication', [handles.slice(0, room - 1)]);
    const before = h.bus.log.length;
    expect(await errorOf(conn.call(Iface.ContactList, 'RequestSubscription', [handles.slice(room - 1), 'hi']))).toBe(ErrorNames.NotAvailable);
    expect(await errorOf(conn.call(Iface.ContactGroups, 'AddToGroup', ['friends', handles.slice(room - 1)]))).toBe(ErrorNames.NotAvailable);
    expect(h.bus.log.slice(before).filter((e) => e.kind === 'signal')).toEqual([]);
    await conn.call(Iface.ContactList, 'RequestSubscription', [[handles[room - 1]!], 'hi']);
    const [attributes] = (await conn.call(Iface.ContactList, 'GetContactListAttributes', [[], false])) as [Record<string, unknown>];
    expect(Object.keys(attributes)).toHaveLength(Limits.rosterContacts);
  });
});
