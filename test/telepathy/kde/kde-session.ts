import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import dbus from 'dbus-next';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from '../dbus/bus-client.js';
import { activationEnv, makeActivatable } from '../dbus/daemon-process.js';
import { monitorBus, type BusMonitor } from './bus-monitor.js';
import { startXvfb, type XDisplay } from './x-display.js';

const run = promisify(execFile);
export const TP = 'org.freedesktop.Telepathy';
export const TEXT_UI = `${TP}.Client.KTp.TextUi`;
export const PROXY = `${TP}.Client.KTp.Proxy`;
const AM = `${TP}.AccountManager`;
const CD = `${TP}.ChannelDispatcher`;
export const CD_PATH = '/org/freedesktop/Telepathy/ChannelDispatcher';
const SYSTEM_SERVICES = '/usr/share/dbus-1/services';

/** A whole throw-away desktop: Xvfb, a private session bus, Mission Control, cave and KDE Telepathy on demand. */
export interface KdeSession {
  readonly x: XDisplay;
  readonly bus: PrivateBus;
  readonly client: BusClient;
  readonly monitor: BusMonitor;
  readonly env: Record<string, string>;
  readonly home: string;
  /** XDG_DATA_HOME of every program here (telepathy-logger writes its logs under it). */
  readonly dataHome: string;
  /** Loopback port of the chat view's DevTools endpoint (QtWebEngine's remote debugging). */
  readonly devtoolsPort: number;
  mcTool(...args: string[]): Promise<string>;
  /** Everything started, stopped in reverse order; safe to call after a partial start. */
  stop(): Promise<void>;
}

export interface KdeSessionOptions {
  /** Let the bus activate KDE's OTR proxy (as installed), or leave it out so the text UI talks to cave itself. */
  readonly withProxy: boolean;
}

/** A system activation file, copied without its systemd line (the private bus has no systemd). */
async function activateFromSystem(bus: PrivateBus, logDir: string, name: string, file = name): Promise<void> {
  const text = await readFile(join(SYSTEM_SERVICES, `${file}.service`), 'utf8');
  const exec = /^Exec=(.*)$/m.exec(text)?.[1];
  if (!exec) throw new Error(`${file}.service names no Exec`);
  // Its stderr goes to a log of its own, for the test to show when something fails.
  const logged = `/bin/sh -c "exec ${exec} 2>>${join(logDir, `${name}.log`)}"`;
  await writeFile(join(bus.serviceDir, `${name}.service`), `[D-BUS Service]\nName=${name}\nExec=${logged}\n`);
}

export async function startKdeSession(options: KdeSessionOptions): Promise<KdeSession> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
  };
  try {
    const home = await mkdtemp(join(tmpdir(), 'cave-kde-'));
    stops.push(() => rm(home, { recursive: true, force: true }));
    const dirs: Record<string, string> = {};
    for (const k of ['HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR']) {
      const dir = join(home, k.toLowerCase());
      await mkdir(dir, { recursive: true, mode: 0o700 });
      dirs[k] = dir;
    }
    const dataHome = join(home, 'xdg_data_home');
    // cave's .manager where Mission Control looks, as `telepathy-cave install` would put it.
    await mkdir(join(dataHome, 'telepathy/managers'), { recursive: true });
    await copyFile(new URL('../../../data/cave.manager', import.meta.url), join(dataHome, 'telepathy/managers/cave.manager'));

    const devtoolsPort = await freePort();
    const x = await startXvfb();
    stops.push(() => x.stop());
    const env: Record<string, string> = {
      ...activationEnv(),
      ...dirs,
      XDG_DATA_DIRS: '/usr/local/share:/usr/share',
      // Activated programs inherit the bus's environment: the display must be there before it starts.
      DISPLAY: x.display,
      QT_QPA_PLATFORM: 'xcb',
      // QtWebEngine (the chat view) refuses to run as root with its sandbox on.
      QTWEBENGINE_DISABLE_SANDBOX: '1',
      QTWEBENGINE_CHROMIUM_FLAGS: '--disable-gpu',
      // The chat view's page, readable on loopback only: the order the person sees.
      QTWEBENGINE_REMOTE_DEBUGGING: `127.0.0.1:${devtoolsPort}`,
      GSETTINGS_BACKEND: 'memory',
      NO_AT_BRIDGE: '1',
    };
    const bus = await startPrivateBus({ env });
    env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    stops.push(() => bus.stop());
    const client = await BusClient.connect(bus.address);
    // Before the bus goes: the client, then every program the bus started (and theirs).
    stops.push(async () => {
      client.disconnect();
      await stopBusPrograms(bus.address);
    });
    const monitor = await monitorBus(bus.address);
    stops.push(() => monitor.stop());

    await makeActivatable(bus.serviceDir, ['--idle-exit', '5']);
    for (const name of [AM, `${TP}.MissionControl5`, CD]) await activateFromSystem(bus, home, name, AM);
    await activateFromSystem(bus, home, TEXT_UI);
    await activateFromSystem(bus, home, `${TP}.Client.Logger`);
    await activateFromSystem(bus, home, `${TP}.Logger`);
    if (options.withProxy) await activateFromSystem(bus, home, PROXY);
    const mcTool = async (...args: string[]) => (await run('mc-tool', args, { env, timeout: 30_000 })).stdout.trim();
    return { x, bus, client, monitor, env, home, dataHome, devtoolsPort, mcTool, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A loopback TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every process started for this bus: the bus activates programs through a double fork (they
 * end up children of init, not of the daemon), so find them by the bus address in their
 * environment, which their own children (QtWebEngine's) inherit too. Children come first.
 */
async function processesOfBus(address: string): Promise<number[]> {
  const parent = new Map<number, number>();
  const ofBus = new Set<number>();
  const mark = `\0DBUS_SESSION_BUS_ADDRESS=${address}\0`;
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!/^\d+$/.test(entry) || pid === process.pid) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    if (`\0${environ}`.includes(mark)) ofBus.add(pid);
  }
  // Their children may clear their environment (QtWebEngine's do): count them in by ancestry.
  const depth = (pid: number): number => {
    const up = parent.get(pid);
    return up !== undefined && up > 1 && (ofBus.has(up) || depth(up) > 0) ? 1 + depth(up) : 0;
  };
  const all = [...parent.keys()].filter((pid) => ofBus.has(pid) || depth(pid) > 0);
  return all.sort((a, b) => depth(b) - depth(a));
}

/** Stop them one by one, each gone before its parent is stopped, so that parent can reap it. */
async function stopBusPrograms(address: string): Promise<void> {
  for (const pid of await processesOfBus(address)) {
    signal(pid, 'SIGTERM');
    for (let i = 0; i < 60 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 25));
    if (isRunning(pid)) signal(pid, 'SIGKILL');
  }
}

const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
};
/** Alive, not a zombie waiting for its parent. */
const isRunning = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** `a{sv}` for dbus-next from plain values with their D-Bus signatures. */
export function props(entries: Record<string, [string, unknown]>): Record<string, dbus.Variant> {
  return Object.fromEntries(Object.entries(entries).map(([k, [sig, v]]) => [k, new dbus.Variant(sig, v)]));
}
