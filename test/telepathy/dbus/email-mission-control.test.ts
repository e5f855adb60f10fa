/**
 * Mission Control 5 with an `email` account, against the real Dovecot and Postfix: it connects, and
 * with a wrong password the account shows ConnectionError AuthenticationFailed (reason 3), which is
 * what makes an account UI ask for the password again.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, makeActivatable } from './daemon-process.js';
import { startMailServers, type MailServers } from '#test/support/mail-servers.js';

const run = promisify(execFile);
const AM = 'org.freedesktop.Telepathy.AccountManager';
const ACCOUNT_IFACE = 'org.freedesktop.Telepathy.Account';
let bus: PrivateBus;
let home: string;
let env: Record<string, string>;
let client: BusClient;
let servers: MailServers;

/** Mission Control's own activation files, minus systemd (the private bus has none). */
async function activateMissionControl(serviceDir: string): Promise<void> {
  for (const name of [AM, 'org.freedesktop.Telepathy.MissionControl5', 'org.freedesktop.Telepathy.ChannelDispatcher']) {
    const system = await readFile(`/usr/share/dbus-1/services/${AM}.service`, 'utf8');
    const exec = /^Exec=(.*)$/m.exec(system)?.[1] ?? '/usr/lib/telepathy/mission-control-5';
    await writeFile(join(serviceDir, `${name}.service`), `[D-BUS Service]\nName=${name}\nExec=${exec}\n`);
  }
}

beforeAll(async () => {
  servers = await startMailServers();
  home = await mkdtemp(join(tmpdir(), 'cave-mc-email-'));
  // Mission Control only ever sees throw-away folders, never the user's accounts.
  const dirs = Object.fromEntries(['HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'XDG_DATA_DIRS'].map((k) => [k, join(home, k.toLowerCase())]));
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(join(dirs.XDG_DATA_DIRS as string, 'telepathy/managers'), { recursive: true });
  await copyFile(new URL('../../../data/cave.manager', import.meta.url), join(dirs.XDG_DATA_DIRS as string, 'telepathy/managers/cave.manager'));
  await writeFile(join(home, 'ca.pem'), servers.caPem);
  // The activated cave trusts the test CA through NODE_EXTRA_CA_CERTS, as a user would add one.
  env = { ...activationEnv(), ...dirs, NODE_EXTRA_CA_CERTS: join(home, 'ca.pem'), GSETTINGS_SCHEMA_DIR: '/usr/share/glib-2.0/schemas', GSETTINGS_BACKEND: 'memory' };
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
  await servers?.stop();
});

const mcTool = async (...args: string[]) => (await run('mc-tool', args, { env, timeout: 30_000 })).stdout.trim();

async function accountState(path: string) {
  const [all] = (await client.call(AM, path, 'org.freedesktop.DBus.Properties', 'GetAll', 's', [ACCOUNT_IFACE])) as [Record<string, { value: unknown }>];
  return {
    reason: all.ConnectionStatusReason?.value as number,
    error: all.ConnectionError?.value as string,
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

async function addEmailAccount(name: string, password: string): Promise<string> {
  const added = await mcTool('add', 'cave/email', name, 'string:account=me@cave.test', `string:password=${password}`,
    `string:imap-server=${servers.host}`, `uint:imap-port=${servers.ports.imap}`,
    `string:smtp-server=${servers.host}`, `uint:smtp-port=${servers.ports.submission}`);
  return added.replace(/^.*?(cave\/email\/\S+)$/s, '$1');
}

describe('Mission Control 5 with an email account', () => {
  it('connects through the real mail servers; with a wrong password the account shows AuthenticationFailed', async () => {
    const account = await addEmailAccount('Mail test', servers.users.me.password);
    expect(account).toMatch(/^cave\/email\/me_40cave_2etest\d+$/);
    const path = `/org/freedesktop/Telepathy/Account/${account}`;
    await mcTool('enable', account);
    await mcTool('request', account, 'available');
    const connected = await until(() => accountState(path), (s) => s.status === 0 && !s.changing, 'Connected');
    expect(connected.connection).toBe('/org/freedesktop/Telepathy/Connection/cave/email/me_40cave_2etest');
    await mcTool('remove', account);

    const wrong = await addEmailAccount('Wrong password', 'not-the-Secret-9e1b');
    const wrongPath = `/org/freedesktop/Telepathy/Account/${wrong}`;
    await mcTool('enable', wrong);
    await mcTool('request', wrong, 'available');
    const failed = await until(() => accountState(wrongPath), (s) => s.status === 2 && s.reason === 3, 'Authentication_Failed');
    expect(failed.error).toBe('org.freedesktop.Telepathy.Error.AuthenticationFailed');
    await mcTool('remove', wrong);
  }, 90_000);
});
