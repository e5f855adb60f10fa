/**
 * Introspection promises only what answers: every method each live object introspects, called
 * with arguments of the right signature, gets a reply or a Telepathy error, never UnknownMethod
 * and never an internal error.
 */
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import type { BusClient } from './bus-client.js';
import { gdbusIntrospect } from './clients.js';
import { CM, CM_PATH, TP, type DaemonProcess } from './daemon-process.js';
import { startRunningDaemon, type RunningDaemon } from './running-daemon.js';

const standard = new Set(['org.freedesktop.DBus.Introspectable', 'org.freedesktop.DBus.Peer', 'org.freedesktop.DBus.Properties']);
/** Methods that end their object: called last, so the others still find it. */
const ENDING = new Set(['Close', 'Destroy', 'Disconnect']);
let running: RunningDaemon;
let bus: PrivateBus;
let daemon: DaemonProcess;
let client: BusClient;

/** Split a signature into its complete types. */
function completeTypes(signature: string): string[] {
  const types: string[] = [];
  for (let i = 0; i < signature.length; ) {
    let end = i;
    while (signature[end] === 'a') end++;
    if (signature[end] === '(' || signature[end] === '{') {
      let depth = 0;
      do {
        if ('({'.includes(signature[end]!)) depth++;
        if (')}'.includes(signature[end]!)) depth--;
        end++;
      } while (depth > 0);
    } else end++;
    types.push(signature.slice(i, end));
    i = end;
  }
  return types;
}

/** A harmless value of one complete type: empty strings, zeros, empty arrays and dicts. */
function dummy(type: string): unknown {
  if (type.startsWith('a{')) return {};
  if (type.startsWith('a')) return [];
  if (type.startsWith('(')) return completeTypes(type.slice(1, -1)).map(dummy);
  if (type === 's' || type === 'g') return '';
  if (type === 'o') return '/';
  if (type === 'b') return false;
  if (type === 'x' || type === 't') return 0n;
  if (type === 'v') return new dbus.Variant('s', '');
  return 0;
}

beforeAll(async () => {
  running = await startRunningDaemon();
  ({ bus, client, daemon } = running);
});

afterAll(async () => {
  expect(await running.stop()).toBe(0);
});

/** Call every introspected method of the object once; the error names, by method. */
async function callEverything(busName: string, path: string): Promise<Record<string, string>> {
  const { interfaces } = await gdbusIntrospect(bus.address, busName, path);
  const calls = interfaces
    .filter((i) => !standard.has(i.name))
    .flatMap((i) => i.methods.map((m) => ({ iface: i.name, name: m.name, types: m.inArgs.map((a) => a.type) })))
    .sort((a, b) => Number(ENDING.has(a.name)) - Number(ENDING.has(b.name)));
  const answers: Record<string, string> = {};
  for (const { iface, name, types } of calls) {
    answers[`${iface}.${name}`] = await client.errorOf(busName, path, iface, name, types.join(''), types.map(dummy));
  }
  return answers;
}

const unanswered = (answers: Record<string, string>) =>
  Object.entries(answers).filter(([, error]) => !(error === 'no error' || error.startsWith(`${TP}.Error.`) || error === 'org.freedesktop.DBus.Error.InvalidArgs'));

describe('every introspected method answers', () => {
  it('on the manager, the protocol, the debug object, a connection and a text channel', async () => {
    const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new dbus.Variant('s', 'everything@example') }])) as [string, string];
    await client.call(name, path, `${TP}.Connection`, 'Connect');
    const [[handle]] = (await client.call(name, path, `${TP}.Connection`, 'RequestHandles', 'uas', [1, ['mirror@example']])) as [number[]];
    const [channel] = (await client.call(name, path, `${TP}.Connection`, 'RequestChannel', 'suub', [`${TP}.Channel.Type.Text`, 1, handle, true])) as [string];
    const answers = {
      ...(await callEverything(CM, CM_PATH)),
      ...(await callEverything(CM, `${CM_PATH}/echo`)),
      ...(await callEverything(CM, '/org/freedesktop/Telepathy/debug')),
      ...(await callEverything(name, channel)),
      ...(await callEverything(name, path)),
    };
    expect(Object.keys(answers).length).toBeGreaterThan(30);
    expect(unanswered(answers)).toEqual([]);
  }, 30_000);
});
