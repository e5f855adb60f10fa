import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { systemPython } from './clients.js';
import { activationEnv, CM, makeActivatable } from './daemon-process.js';

const run = promisify(execFile);
let bus: PrivateBus;
let home: string;

beforeAll(async () => {
  bus = await startPrivateBus({ env: activationEnv() });
  // Short idle exit: once the client is done the daemon leaves by itself and writes coverage.
  await makeActivatable(bus.serviceDir, ['--idle-exit', '1']);
  home = await mkdtemp(join(tmpdir(), 'cave-tpglib-'));
  await mkdir(join(home, 'data-dirs/telepathy/managers'), { recursive: true });
  await copyFile(new URL('../../../data/cave.manager', import.meta.url), join(home, 'data-dirs/telepathy/managers/cave.manager'));
});

afterAll(async () => {
  await bus.stop();
  await rm(home, { recursive: true, force: true });
});

describe('a real telepathy-glib client', () => {
  it('finds cave by its .manager file, activates it, and has an echo conversation', async () => {
    const watcher = await BusClient.connect(bus.address);
    const script = new URL('telepathy_glib_client.py', import.meta.url).pathname;
    const { stdout } = await run(systemPython, [script, 'made-up@contact.example'], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, XDG_DATA_DIRS: join(home, 'data-dirs'), XDG_DATA_HOME: join(home, 'data-home') },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    const steps = Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    expect(Object.keys(steps)).toEqual(['manager-file', 'requested', 'activated', 'connected', 'channel', 'sent', 'received', 'acknowledged', 'closed', 'disconnected']);
    expect(steps['manager-file']).toBe("protocols=['echo', 'email'] english-name=Echo");
    expect(steps.requested).toBe(
      'org.freedesktop.Telepathy.Connection.cave.echo.tester_40example_2ecom /org/freedesktop/Telepathy/Connection/cave/echo/tester_40example_2ecom',
    );
    expect(steps.connected).toBe('self=tester@example.com');
    expect(steps.received).toBe('hello, cave from made-up@contact.example pending=1');
    // With its last connection gone, the activated daemon leaves on its own.
    await watcher.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === CM && s.body[2] === '', 10_000);
    watcher.disconnect();
  });

  it('sees the echo contact type along, a Delivered report before the echo, and a failure report with the message', async () => {
    const script = new URL('telepathy_glib_typing_reports.py', import.meta.url).pathname;
    const { stdout } = await run(systemPython, [script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, XDG_DATA_DIRS: join(home, 'data-dirs'), XDG_DATA_HOME: join(home, 'data-home') },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    expect(stdout.trim().split('\n')).toEqual([
      'reporting: support=3',
      'typing: bob=4',
      "delivered: status=1 then='did you get it?' bob=2",
      "failed: status=3 error=2 echo='anyone there?' messages=1",
      'disconnected: /org/freedesktop/Telepathy/Connection/cave/echo/typist_40example_2ecom',
    ]);
  });
});
