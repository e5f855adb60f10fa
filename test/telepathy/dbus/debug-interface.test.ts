/** The Debug interface on the real bus, as a debug viewer uses it: GetMessages, then Enabled and NewDebugMessage (through gdbus, GLib's client). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import type { BusClient } from './bus-client.js';
import { gdbusCall, gdbusError } from './clients.js';
import { CM, CM_PATH, TP, type DaemonProcess } from './daemon-process.js';
import { startRunningDaemon, type RunningDaemon } from './running-daemon.js';

const DEBUG = '/org/freedesktop/Telepathy/debug';
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

const gdbus = (method: string, ...args: string[]) => gdbusCall(bus.address, CM, DEBUG, method, ...args);

describe('the Debug interface at /org/freedesktop/Telepathy/debug', () => {
  it('gives a viewer the log so far, then each new line while Enabled, and nothing after', async () => {
    await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'ListProtocols');
    const history = await gdbus(`${TP}.Debug.GetMessages`);
    // gdbus writes the type of a tuple member only in the first tuple.
    expect(history).toMatch(/'cave', (uint32 )?5, 'call :[\d.]+ \/org\/freedesktop\/Telepathy\/ConnectionManager\/cave org\.freedesktop\.Telepathy\.ConnectionManager\.ListProtocols'/);
    expect(await gdbus('org.freedesktop.DBus.Properties.Get', `${TP}.Debug`, 'Enabled')).toBe('(<false>,)');
    await gdbus('org.freedesktop.DBus.Properties.Set', `${TP}.Debug`, 'Enabled', '<true>');
    await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'GetParameters', 's', ['echo']);
    const line = await client.waitForSignal((s) => s.member === 'NewDebugMessage' && String(s.body[3]).includes('GetParameters'));
    expect(line.path).toBe(DEBUG);
    expect(line.body.slice(1, 3)).toEqual(['cave', 5]);
    await gdbus('org.freedesktop.DBus.Properties.Set', `${TP}.Debug`, 'Enabled', '<false>');
    await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'ListProtocols');
    await new Promise((r) => setTimeout(r, 200));
    expect(client.signals.filter((s) => s.member === 'NewDebugMessage' && String(s.body[3]).includes('ListProtocols'))).toEqual([]);
  });

  it('answers a wrongly typed Enabled with InvalidArgument and a read-only write with PropertyReadOnly', async () => {
    expect(await gdbusError(bus.address, CM, DEBUG, 'org.freedesktop.DBus.Properties.Set', `${TP}.Debug`, 'Enabled', "<'yes'>")).toContain(`${TP}.Error.InvalidArgument`);
    expect(await gdbusError(bus.address, CM, CM_PATH, 'org.freedesktop.DBus.Properties.Set', `${TP}.ConnectionManager`, 'Interfaces', '<@as []>')).toContain('PropertyReadOnly');
  });
});
