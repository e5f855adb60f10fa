/**
 * What random fuzzing rarely reaches: bodies of several MiB (the private bus takes messages up to
 * dbus-daemon's built-in 32 MiB) and nesting as deep as D-Bus allows (32 arrays, 32 structs,
 * variants within variants). Each call gets one of our errors or an answer, never dbus-next's
 * own, the daemon stays up with its memory sampled after every call, and an echo still works.
 */
import { readFileSync } from 'node:fs';
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from '#test/telepathy/dbus/bus-client.js';
import { CM, CM_PATH, spawnDaemon, TP, type DaemonProcess } from '#test/telepathy/dbus/daemon-process.js';

const { Variant } = dbus;
const MiB = 1024 * 1024;
const TEXT = `${TP}.Channel.Type.Text`;
const E = `${TP}.Error`;

let bus: PrivateBus;
let daemon: DaemonProcess;
let client: BusClient;
let conn: { name: string; path: string };
let channel: string;
const rss: number[] = [];

const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const textRequest = (id: string) => ({
  [`${TP}.Channel.ChannelType`]: new Variant('s', TEXT),
  [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1),
  [`${TP}.Channel.TargetID`]: new Variant('s', id),
});

beforeAll(async () => {
  bus = await startPrivateBus();
  client = await BusClient.connect(bus.address);
  daemon = spawnDaemon(bus.address, ['--persist']);
  for (let i = 0; i < 200 && !(await client.ownerOf(CM)); i++) await new Promise((r) => setTimeout(r, 25));
  const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', 'extremes') }])) as [string, string];
  await client.call(name, path, `${TP}.Connection`, 'Connect');
  conn = { name, path };
  [channel] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [textRequest('carol')])) as [string];
  rss.push(rssMiB());
}, 30_000);

afterAll(async () => {
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  client.disconnect();
  await bus.stop();
});

/** The error a call ends with (or `no error`); the daemon must still be running, its RSS is sampled. */
async function answer(path: string, iface: string, member: string, signature: string, body: unknown[]): Promise<string> {
  const outcome = await client.errorOf(conn.name, path, iface, member, signature, body);
  expect(daemon.child.exitCode, daemon.stderr()).toBeNull();
  rss.push(rssMiB());
  return outcome;
}

/** `depth` arrays around a string: signature and value. */
const nestedArrays = (depth: number): [string, unknown] => [`${'a'.repeat(depth)}s`, Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 'deep')];
/** `depth` structs around a string. */
const nestedStructs = (depth: number): [string, unknown] => [`${'('.repeat(depth)}s${')'.repeat(depth)}`, Array.from({ length: depth }).reduce<unknown>((inner) => [inner], 'deep')];
/** `depth` variants around a string. */
const nestedVariants = (depth: number) => Array.from({ length: depth - 1 }).reduce<InstanceType<typeof Variant>>((inner) => new Variant('v', inner), new Variant('s', 'deep'));

describe('telepathy-cave with huge and deeply nested calls', () => {
  it('refuses several-MiB messages, identifiers and handle lists with Telepathy errors', async () => {
    const huge = 'x'.repeat(4 * MiB);
    const parts = [{}, { 'content-type': new Variant('s', 'text/plain'), content: new Variant('s', huge) }];
    expect(await answer(channel, `${TP}.Channel.Interface.Messages`, 'SendMessage', 'aa{sv}u', [parts, 0])).toBe(`${E}.InvalidArgument`);
    expect(await answer(channel, TEXT, 'Send', 'us', [0, huge])).toBe(`${E}.InvalidArgument`);
    expect(await answer(conn.path, `${TP}.Connection`, 'RequestHandles', 'uas', [1, [huge]])).toBe(`${E}.InvalidHandle`);
    const manyIds = Array.from({ length: 200_000 }, (_, i) => `contact${i}`); // about 3 MiB
    expect(await answer(conn.path, `${TP}.Connection`, 'RequestHandles', 'uas', [1, manyIds])).toBe(`${E}.NotAvailable`);
    const manyHandles = Array.from({ length: 1_000_000 }, (_, i) => i); // 4 MiB
    expect(await answer(conn.path, `${TP}.Connection`, 'HoldHandles', 'uau', [1, manyHandles])).toBe(`${E}.InvalidHandle`);
    const bigRequest = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`${TP}.Channel.Nope${i}`, new Variant('s', 'x')]));
    expect(await answer(conn.path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [{ ...textRequest('dave'), ...bigRequest }])).toBe(`${E}.NotImplemented`);
    expect(await answer(channel, 'org.freedesktop.DBus.Properties', 'Set', 'ssv', [TEXT, 'Nope', new Variant('ay', Buffer.alloc(8 * MiB))])).toMatch(/^org\.freedesktop\.DBus\.Error\./);
    expect(await answer(channel, 'org.example.Nope', 'Huge', 'ay', [Buffer.alloc(30 * MiB, 1)])).toBe('org.freedesktop.DBus.Error.UnknownMethod');
  }, 120_000);

  it('answers calls nested as deep as D-Bus allows: 32 arrays, 32 structs, 32 variants', async () => {
    for (const [signature, value] of [nestedArrays(32), nestedStructs(32)]) {
      expect(await answer(conn.path, `${TP}.Connection`, 'RequestHandles', signature, [value])).toBe('org.freedesktop.DBus.Error.InvalidArgs');
      expect(await answer(channel, 'org.example.Nope', 'Deep', signature, [value])).toBe('org.freedesktop.DBus.Error.UnknownMethod');
    }
    const deep = { ...textRequest('erin'), [`${TP}.Channel.TargetID`]: nestedVariants(32) };
    expect(await answer(conn.path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [deep])).toMatch(/^org\.freedesktop\.Telepathy\.Error\.(InvalidArgument|NotImplemented)$/);
    expect(await answer(channel, 'org.freedesktop.DBus.Properties', 'Set', 'ssv', [TEXT, 'Nope', nestedVariants(32)])).toMatch(/^org\.freedesktop\.DBus\.Error\./);
    const parts = [{ 'message-type': nestedVariants(32) }, { 'content-type': new Variant('s', 'text/plain'), content: nestedVariants(32) }];
    expect(await answer(channel, `${TP}.Channel.Interface.Messages`, 'SendMessage', 'aa{sv}u', [parts, 0])).toBe(`${E}.InvalidArgument`);
  }, 60_000);

  it('keeps its memory bounded through all of it, and still echoes', async () => {
    const parts = [{}, { 'content-type': new Variant('s', 'text/plain'), content: new Variant('s', 'still here?') }];
    await client.call(conn.name, channel, `${TP}.Channel.Interface.Messages`, 'SendMessage', 'aa{sv}u', [parts, 0]);
    const echoed = await client.waitForSignal((s) => s.member === 'MessageReceived' && s.path === channel);
    expect((echoed.body[0] as Record<string, { value: unknown }>[])[1]?.content?.value).toBe('still here?');
    console.log(`daemon RSS (MiB) after each huge or deep call: ${rss.map((r) => r.toFixed(0)).join(' ')}`);
    expect(rss.length).toBeGreaterThan(10);
    // A 32 MiB message briefly costs several times its size once decoded; it is given back.
    expect(Math.max(...rss)).toBeLessThan(400);
    expect(rss.at(-1)! - rss[0]!).toBeLessThan(150);
  });
});
