import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import type { BusClient } from './bus-client.js';
import { gdbusError, pythonCall } from './clients.js';
import { CM, CM_PATH, TP, type DaemonProcess } from './daemon-process.js';
import { startRunningDaemon, type RunningDaemon } from './running-daemon.js';

const { Variant } = dbus;
const E = 'org.freedesktop.Telepathy.Error';
let running: RunningDaemon;
let bus: PrivateBus;
let daemon: DaemonProcess;
let client: BusClient;

beforeAll(async () => {
  running = await startRunningDaemon();
  ({ bus, client, daemon } = running);
});

afterAll(async () => {
  expect(await running.stop()).toBe(0);
});

const cm = (member: string, signature: string, body: unknown[]) => client.errorOf(CM, CM_PATH, `${TP}.ConnectionManager`, member, signature, body);
const request = (params: Record<string, unknown>) => cm('RequestConnection', 'sa{sv}', ['echo', params]);
const text = (extra: Record<string, unknown>) => ({
  [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Text`),
  [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1),
  ...extra,
});

async function connected(account: string) {
  const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', account) }])) as [string, string];
  const call = (iface: string, member: string, signature = '', body: unknown[] = []) => client.call(name, path, `${TP}.${iface}`, member, signature, body);
  const error = (iface: string, member: string, signature = '', body: unknown[] = []) => client.errorOf(name, path, `${TP}.${iface}`, member, signature, body);
  await call('Connection', 'Connect');
  await client.waitForSignal((s) => s.path === path && s.member === 'StatusChanged' && s.body[0] === 0);
  return { name, path, call, error };
}

/** The text of an error reply, to check what a client gets to read. */
async function errorText(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: { text?: string }) => String(error.text),
  );
}

/** After every bad call the daemon must still answer a good one. */
async function stillServing() {
  expect(await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'ListProtocols')).toEqual([['echo', 'email']]);
}

describe('bad input to the connection manager', () => {
  it('answers each bad connection request with the right Telepathy error', async () => {
    expect(await cm('GetParameters', 's', ['jabber'])).toBe(`${E}.NotImplemented`);
    expect(await cm('RequestConnection', 'sa{sv}', ['jabber', { account: new Variant('s', 'a') }])).toBe(`${E}.NotImplemented`);
    expect(await request({})).toBe(`${E}.InvalidArgument`);
    expect(await request({ account: new Variant('s', 'a@x'), password: new Variant('s', 'p') })).toBe(`${E}.InvalidArgument`);
    expect(await request({ account: new Variant('u', 7) })).toBe(`${E}.InvalidArgument`);
    expect(await request({ account: new Variant('s', 'twice@example') })).toBe('no error');
    expect(await request({ account: new Variant('s', 'Twice@Example') })).toBe(`${E}.NotAvailable`);
    // What a client reads is a sentence, never a stack trace.
    const text = await errorText(client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', {}]));
    expect(text).toMatch(/account/);
    expect(text).not.toMatch(/\n|\bat \S+ \(|\.[jt]s:\d+/);
    await stillServing();
  });

  it('answers wrong argument signatures InvalidArgs, from any client library', async () => {
    expect(await cm('RequestConnection', 'ss', ['echo', 'x'])).toBe('org.freedesktop.DBus.Error.InvalidArgs');
    expect(await cm('ListProtocols', 's', ['extra'])).toBe('org.freedesktop.DBus.Error.InvalidArgs');
    expect((await pythonCall(bus.address, CM, CM_PATH, `${TP}.ConnectionManager`, 'GetParameters', 'u', '(1,)')).error).toBe('org.freedesktop.DBus.Error.InvalidArgs');
    expect(await gdbusError(bus.address, CM, CM_PATH, `${TP}.ConnectionManager.NoSuchThing`)).toContain('org.freedesktop.DBus.Error.UnknownMethod');
    await stillServing();
  });
});

describe('bad input to a connection and its channels', () => {
  it('refuses invalid handles, unsupported or inconsistent channel requests', async () => {
    const conn = await connected('handles@example');
    expect(await conn.error('Connection', 'InspectHandles', 'uau', [1, [9999]])).toBe(`${E}.InvalidHandle`);
    expect(await conn.error('Connection', 'InspectHandles', 'uau', [7, [1]])).toBe(`${E}.InvalidArgument`);
    expect(await conn.error('Connection.Interface.Contacts', 'GetContactAttributes', 'auasb', [[9999], [], false])).toBe('no error');
    expect(await conn.error('Connection.Interface.Requests', 'CreateChannel', 'a{sv}', [text({ [`${TP}.Channel.TargetHandle`]: new Variant('u', 9999) })])).toBe(`${E}.InvalidHandle`);
    const [contact] = (await conn.call('Connection', 'RequestHandles', 'uas', [1, ['someone@example']])) as [number[]];
    const inconsistent = text({ [`${TP}.Channel.TargetHandle`]: new Variant('u', contact?.[0]), [`${TP}.Channel.TargetID`]: new Variant('s', 'someone-else@example') });
    expect(await conn.error('Connection.Interface.Requests', 'CreateChannel', 'a{sv}', [inconsistent])).toBe(`${E}.InvalidArgument`);
    const call = { [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Call1`), [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1), [`${TP}.Channel.TargetID`]: new Variant('s', 'x@y') };
    expect(await conn.error('Connection.Interface.Requests', 'CreateChannel', 'a{sv}', [call])).toBe(`${E}.NotImplemented`);
    expect(await conn.error('Connection.Interface.Requests', 'CreateChannel', 'a{sv}', [text({ [`${TP}.Channel.TargetID`]: new Variant('s', 'x@y'), 'org.example.Unknown': new Variant('s', '') })])).toBe(`${E}.NotImplemented`);
    await conn.call('Connection', 'Disconnect');
    await stillServing();
  });

  it('answers calls on a closed channel or a disconnected connection, and closing twice, without harm', async () => {
    const conn = await connected('closing@example');
    const [channel] = (await conn.call('Connection.Interface.Requests', 'CreateChannel', 'a{sv}', [text({ [`${TP}.Channel.TargetID`]: new Variant('s', 'x@y') })])) as [string];
    await client.call(conn.name, channel, `${TP}.Channel`, 'Close');
    const again = await client.errorOf(conn.name, channel, `${TP}.Channel`, 'Close');
    expect(again).toBe('org.freedesktop.DBus.Error.UnknownMethod');
    expect(await client.errorOf(conn.name, channel, `${TP}.Channel.Type.Text`, 'Send', 'us', [0, 'hi'])).toBe('org.freedesktop.DBus.Error.UnknownMethod');
    await conn.call('Connection', 'Disconnect');
    await client.waitForSignal((s) => s.path === conn.path && s.member === 'StatusChanged' && s.body[0] === 2);
    const late = await conn.error('Connection', 'Connect');
    // A disconnected connection is gone for good: its bus name no longer exists.
    expect(late).toBe('org.freedesktop.DBus.Error.ServiceUnknown');
    await stillServing();
  });
});
