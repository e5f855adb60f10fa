import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '#spec/telepathy/scenarios.js';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, makeActivatable } from './daemon-process.js';
import { dbusScenarioHarness } from './dbus-scenario-client.js';

/** The very scenarios the in-memory bus runs, against the real daemon over D-Bus. */

let bus: PrivateBus;
let watcher: BusClient;
let harness: ReturnType<typeof dbusScenarioHarness>;

beforeAll(async () => {
  bus = await startPrivateBus({ env: activationEnv() });
  // Activated on the first call, as a Telepathy client would find it.
  await makeActivatable(bus.serviceDir, ['--persist']);
  watcher = await BusClient.connect(bus.address);
  harness = dbusScenarioHarness(bus.address);
});

afterEach(() => harness.closeClients());

afterAll(async () => {
  const owner = await watcher.ownerOf(CM);
  if (owner) {
    const [pid] = (await watcher.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetConnectionUnixProcessID', 's', [owner])) as [number];
    process.kill(pid, 'SIGTERM'); // a normal exit, so its coverage is written
    await watcher.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === CM && s.body[2] === '');
  }
  watcher.disconnect();
  await bus.stop();
});

async function connectionNames(): Promise<string[]> {
  const [names] = (await watcher.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'ListNames')) as [string[]];
  return names.filter((n) => n.startsWith('org.freedesktop.Telepathy.Connection.cave.'));
}

describe('contract scenarios on the real daemon over D-Bus', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    await scenario.run(harness);
    // Every scenario disconnects what it opened: no connection name stays on the bus.
    for (let i = 0; i < 100 && (await connectionNames()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await connectionNames()).toEqual([]);
  });
});
