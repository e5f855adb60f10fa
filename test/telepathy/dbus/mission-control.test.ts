import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { systemPython } from './clients.js';
import { activationEnv, CM, makeActivatable } from './daemon-process.js';

const run = promisify(execFile);
const AM = 'org.freedesktop.Telepathy.AccountManager';
const ACCOUNT_IFACE = 'org.freedesktop.Telepathy.Account';
let bus: PrivateBus;
let home: string;
let env: Record<string, string>;
let client: BusClient;

/** Mission Control's own activation files, minus systemd (the private bus has none). */
async function activateMissionControl(serviceDir: string): Promise<void> {
  for (const name of [AM, 'org.freedesktop.Telepathy.MissionControl5', 'org.freedesktop.Telepathy.ChannelDispatcher']) {
    const system = await readFile(`/usr/share/dbus-1/services/${AM}.service`, 'utf8');
    const exec = /^Exec=(.*)$/m.exec(system)?.[1] ?? '/usr/lib/telepathy/mission-control-5';
    await writeFile(join(serviceDir, `${name}.service`), `[D-BUS Service]\nName=${name}\nExec=${exec}\n`);
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'cave-mc-'));
  // Mission Control only ever sees throw-away folders, never the user's accounts.
  const dirs = Object.fromEntries(['HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'XDG_DATA_DIRS'].map((k) => [k, join(home, k.toLowerCase())]));
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(join(dirs.XDG_DATA_DIRS as string, 'telepathy/managers'), { recursive: true });
  await copyFile(new URL('../../../data/cave.manager', import.meta.url), join(dirs.XDG_DATA_DIRS as string, 'telepathy/managers/cave.manager'));
  env = { ...activationEnv(), ...dirs, GSETTINGS_SCHEMA_DIR: '/usr/share/glib-2.0/schemas', GSETTINGS_BACKEND: 'memory' };
  bus = await startPrivateBus({ env });
  env.DBUS_SESSION_BUS_ADDRESS = bus.address;
  await makeActivatable(bus.serviceDir, ['--idle-exit', '1']);
  await activateMissionControl(bus.serviceDir);
  client = await BusClient.connect(bus.address);
});

afterAll(async () => {
  const mc = await client.ownerOf(AM);
  if (mc) {
    const [pid] = (await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetConnectionUnixProcessID', 's', [mc])) as [number];
    process.kill(pid, 'SIGTERM');
  }
  client.disconnect();
  await bus.stop();
  await rm(home, { recursive: true, force: true });
});

const mcTool = async (...args: string[]) => (await run('mc-tool', args, { env, timeout: 30_000 })).stdout.trim();

async function accountState(path: string) {
  const [all] = (await client.call(AM, path, 'org.freedesktop.DBus.Properties', 'GetAll', 's', [ACCOUNT_IFACE])) as [Record<string, { value: unknown }>];
  return {
    status: all.ConnectionStatus?.value as number,
    presence: (all.CurrentPresence?.value as [number, string, string])[1],
    changing: all.ChangingPresence?.value as boolean,
    connection: all.Connection?.value as string,
  };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: last seen ${JSON.stringify(last)}`);
}

describe('Mission Control 5 with an echo account', () => {
  it('connects, settles presence, dispatches a text channel with the echo, survives disable/enable, and removes', async () => {
    const added = await mcTool('add', 'cave/echo', 'Echo test', 'string:account=me@example.com');
    const account = added.replace(/^.*?(cave\/echo\/\S+)$/s, '$1');
    expect(account).toMatch(/^cave\/echo\/me_40example_2ecom\d+$/);
    const path = `/org/freedesktop/Telepathy/Account/${account}`;
    await mcTool('enable', account);
    await mcTool('request', account, 'available');
    const connected = await until(() => accountState(path), (s) => s.status === 0 && s.presence === 'available' && !s.changing, 'Connected and available');
    expect(connected.connection).toBe('/org/freedesktop/Telepathy/Connection/cave/echo/me_40example_2ecom');

    const { stdout } = await run(systemPython, [new URL('mission_control_client.py', import.meta.url).pathname, path, 'buddy@made.up'], { env, timeout: 60_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`the Mission Control client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      },
    );
    expect(stdout.trim().split('\n')).toEqual([
      'account: connected presence=available changing=False cm=cave protocol=echo',
      'channel: buddy@made.up via the ChannelDispatcher',
      'received: hello through Mission Control from buddy@made.up',
      'closed: by its handler',
    ]);

    // With hidden among the statuses, Mission Control asks for it rather than mapping it to busy.
    await mcTool('request', account, 'hidden');
    await until(() => accountState(path), (s) => s.presence === 'hidden' && !s.changing, 'Hidden');
    await mcTool('request', account, 'available');
    await until(() => accountState(path), (s) => s.presence === 'available' && !s.changing, 'Available again');

    const connectionName = 'org.freedesktop.Telepathy.Connection.cave.echo.me_40example_2ecom';
    await mcTool('disable', account);
    await until(() => accountState(path), (s) => s.status === 2, 'Disconnected');
    await until(() => client.ownerOf(connectionName), (owner) => owner === undefined, 'connection name released');

    await mcTool('enable', account);
    await until(() => accountState(path), (s) => s.status === 0 && s.presence === 'available' && !s.changing, 'Connected again');
    expect(await client.ownerOf(connectionName)).toBeDefined();

    await mcTool('remove', account);
    const [valid] = (await client.call(AM, '/org/freedesktop/Telepathy/AccountManager', 'org.freedesktop.DBus.Properties', 'Get', 'ss', [AM, 'ValidAccounts'])) as [{ value: string[] }];
    expect(valid.value).toEqual([]);
    // No account, no connection: cave leaves by itself after its quiet period.
    await client.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === CM && s.body[2] === '', 15_000);
  });

  it('offers the account for chat rooms, lists the echo rooms with TpRoomList and joins one', async () => {
    const added = await mcTool('add', 'cave/echo', 'Echo rooms', 'string:account=rooms@example.com');
    const account = added.replace(/^.*?(cave\/echo\/\S+)$/s, '$1');
    const path = `/org/freedesktop/Telepathy/Account/${account}`;
    await mcTool('enable', account);
    await mcTool('request', account, 'available');
    await until(() => accountState(path), (s) => s.status === 0 && s.presence === 'available' && !s.changing, 'Connected and available');
    const { stdout } = await run(systemPython, [new URL('mission_control_rooms.py', import.meta.url).pathname, path], { env, timeout: 60_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`the room client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      },
    );
    expect(stdout.trim().split('\n')).toEqual([
      'capabilities: text-chatrooms=True room-list=True',
      'rooms: lobby(3) canyon(3)',
      "joined: lobby members=['anna', 'bob', 'otto', 'rooms@example.com']",
      'left: lobby',
    ]);
    await mcTool('remove', account);
  });
});
