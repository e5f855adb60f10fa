import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dbus from 'dbus-next';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, CM_PATH, makeActivatable, spawnDaemon, TP, within, type DaemonProcess } from './daemon-process.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function bus(): Promise<PrivateBus> {
  const b = await startPrivateBus({ env: activationEnv() });
  cleanups.push(() => b.stop());
  return b;
}
async function client(b: PrivateBus): Promise<BusClient> {
  const c = await BusClient.connect(b.address);
  cleanups.push(() => c.disconnect());
  return c;
}
function daemon(b: PrivateBus, args: string[] = [], env: Record<string, string> = {}): DaemonProcess {
  const d = spawnDaemon(b.address, args, env);
  cleanups.push(() => {
    if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
  });
  return d;
}
async function untilOwned(c: BusClient, name: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const owner = await c.ownerOf(name);
    if (owner) return owner;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${name} never appeared`);
}
const requestConnection = (c: BusClient, account: string) =>
  c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new dbus.Variant('s', account) }]) as Promise<[string, string]>;

describe('telepathy-cave, the daemon', () => {
  it('is started by D-Bus activation when a client calls the CM name', async () => {
    const b = await bus();
    await makeActivatable(b.serviceDir, ['--idle-exit', '30']);
    const c = await client(b);
    expect(await c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'ListProtocols')).toEqual([['echo', 'email']]);
    const owner = await c.ownerOf(CM);
    expect(owner).toMatch(/^:1\./);
    // SIGTERM lets it exit normally, so it writes its coverage.
    const [pid] = (await c.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetConnectionUnixProcessID', 's', [owner])) as [number];
    process.kill(pid, 'SIGTERM');
    await c.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === CM && s.body[2] === '');
  });

  it('stays while it has connections and leaves after a quiet period without any', async () => {
    const b = await bus();
    const c = await client(b);
    const d = daemon(b, ['--idle-exit', '0.4']);
    await untilOwned(c, CM);
    const [name, path] = await requestConnection(c, 'stay@example');
    await new Promise((r) => setTimeout(r, 900));
    expect(d.child.exitCode).toBeNull();
    await c.call(name, path, `${TP}.Connection`, 'Connect');
    await c.call(name, path, `${TP}.Connection`, 'Disconnect');
    expect(await within(d.exited, 5000, 'idle exit')).toBe(0);
    expect(d.stderr()).toBe(''); // quiet by default
  });

  it('disconnects every connection with the proper signals on SIGTERM, then exits 0', async () => {
    const b = await bus();
    const c = await client(b);
    const d = daemon(b, ['--persist']);
    await untilOwned(c, CM);
    const [name, path] = await requestConnection(c, 'term@example');
    await c.call(name, path, `${TP}.Connection`, 'Connect');
    await c.waitForSignal((s) => s.member === 'StatusChanged' && s.path === path && s.body[0] === 0);
    d.child.kill('SIGTERM');
    expect(await within(d.exited, 5000, 'exit after SIGTERM')).toBe(0);
    const last = await c.waitForSignal((s) => s.member === 'StatusChanged' && s.path === path && s.body[0] === 2);
    expect(last.body).toEqual([2, 1]); // Disconnected, Requested
    await c.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === name && s.body[2] === '');
  });

  it('exits on SIGINT too, and logs what it does with --verbose or CAVE_DEBUG=1', async () => {
    const b = await bus();
    const c = await client(b);
    for (const [args, env] of [[['--verbose'], {}], [[], { CAVE_DEBUG: '1' }]] as const) {
      const d = daemon(b, [...args, '--persist'], env);
      await untilOwned(c, CM);
      await c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'ListProtocols');
      d.child.kill('SIGINT');
      expect(await within(d.exited, 5000, 'exit after SIGINT')).toBe(0);
      expect(d.stderr()).toContain('ListProtocols');
      expect(d.stderr()).toContain('SIGINT');
    }
  });

  it('exits non-zero with a clear message when the bus goes away', async () => {
    const b = await startPrivateBus();
    const c = await BusClient.connect(b.address);
    const d = daemon(b, ['--persist']);
    await untilOwned(c, CM);
    c.disconnect();
    await b.stop();
    expect(await within(d.exited, 5000, 'exit after bus loss')).toBe(1);
    expect(d.stderr()).toMatch(/lost the D-Bus bus/);
  });

  it('exits non-zero with a clear message when the name is taken', async () => {
    const b = await bus();
    const c = await client(b);
    await c.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'RequestName', 'su', [CM, 4]);
    const d = daemon(b);
    expect(await within(d.exited, 5000, 'exit when the name is taken')).toBe(1);
    expect(d.stderr()).toContain(`${CM} is already owned by another program`);
  });

  it('exits non-zero with a clear message without a bus', async () => {
    for (const address of ['disabled:', 'unix:path=/nonexistent/cave-bus']) {
      const d = spawnDaemon(address);
      expect(await within(d.exited, 5000, 'exit without a bus')).toBe(1);
      expect(d.stderr()).toMatch(/no session bus|cannot connect to the D-Bus bus/);
    }
  });

  it('refuses unknown options and commands', async () => {
    for (const args of [['--bogus'], ['bogus'], ['--idle-exit', 'soon'], ['install', '--prefix']]) {
      const d = spawnDaemon('disabled:', args);
      expect(await within(d.exited, 5000, 'exit on bad usage')).toBe(2);
      expect(d.stderr()).toContain('Usage: telepathy-cave');
    }
  });
});

describe('telepathy-cave install', () => {
  it('writes the .manager and an activation file that starts the installed program', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cave-install-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const user = spawnDaemon('disabled:', ['install', '--user'], { XDG_DATA_HOME: join(home, 'data') });
    const prefix = spawnDaemon('disabled:', ['install', '--prefix', join(home, 'usr')]);
    const plain = spawnDaemon('disabled:', ['install'], { HOME: join(home, 'home'), XDG_DATA_HOME: '' });
    expect([await user.exited, await prefix.exited, await plain.exited]).toEqual([0, 0, 0]);
    // Without options it installs for the user, under ~/.local/share when XDG_DATA_HOME is unset.
    expect(await readFile(join(home, 'home/.local/share/telepathy/managers/cave.manager'), 'utf8')).toContain('[Protocol echo]');
    const manager = await readFile(new URL('../../../data/cave.manager', import.meta.url), 'utf8');
    for (const share of [join(home, 'data'), join(home, 'usr', 'share')]) {
      expect(await readFile(join(share, 'telepathy/managers/cave.manager'), 'utf8')).toBe(manager);
      const service = await readFile(join(share, `dbus-1/services/${CM}.service`), 'utf8');
      expect(service).toMatch(new RegExp(`^Name=${CM.replace(/\./g, '\\.')}$`, 'm'));
      expect(service).toMatch(/^Exec=\S+node\S* \S+\/dist\/bin\/telepathy-cave\.js$/m);
      // What desktops show for the protocol: its icon, the account profile, KDE's Online Accounts entry.
      expect(await readFile(join(share, 'icons/hicolor/scalable/apps/im-echo.svg'), 'utf8')).toMatch(/^<svg /);
      expect(await readFile(join(share, 'telepathy/profiles/echo.profile'), 'utf8')).toMatch(/manager="cave" protocol="echo" icon="im-echo"/);
      expect(await readFile(join(share, 'accounts/providers/cave-echo.provider'), 'utf8')).toContain('<icon>im-echo</icon>');
      const im = await readFile(join(share, 'accounts/services/cave-echo-im.service'), 'utf8');
      expect(im).toContain('<setting name="manager">cave</setting>');
      expect(im).toContain('<setting name="protocol">echo</setting>');
    }
    // The installed activation file really starts it.
    const b = await bus();
    const service = await readFile(join(home, 'usr/share/dbus-1/services', `${CM}.service`), 'utf8');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(b.serviceDir, `${CM}.service`), service);
    const c = await client(b);
    expect(await c.call(CM, `${CM_PATH}/echo`, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [`${TP}.Protocol`, 'EnglishName'])).toEqual([new dbus.Variant('s', 'Echo')]);
    const owner = await c.ownerOf(CM);
    const [pid] = (await c.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetConnectionUnixProcessID', 's', [owner])) as [number];
    process.kill(pid, 'SIGTERM');
    await c.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === CM && s.body[2] === '');
  });
});
