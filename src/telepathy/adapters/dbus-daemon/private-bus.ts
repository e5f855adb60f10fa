import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dbus from 'dbus-next';

const { Message, sessionBus } = dbus;

/** A dbus-daemon of our own: used by `npm start` when no bus is given, and by every bus test. */
export interface PrivateBus {
  /** The address to put in DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string;
  /** Folder of `.service` files the daemon activates from. */
  readonly serviceDir: string;
  /** Scratch folder that lives as long as the bus (sockets, config). */
  readonly dir: string;
  /** The dbus-daemon's process id (tests kill it to lose the bus). */
  readonly pid: number;
  /**
   * Make `name` activatable: write its `.service` file and have the daemon reload, so the very
   * next call to that name starts `exec` (the daemon's own file watch is asynchronous).
   */
  addService(name: string, exec: string): Promise<void>;
  /** Kill exactly this daemon and remove its folder. */
  stop(): Promise<void>;
}

/** How to start a private bus. */
export interface PrivateBusOptions {
  /** Environment for services the daemon activates (it inherits it). */
  env?: NodeJS.ProcessEnv;
  /** dbus-daemon to run; default from PATH. */
  daemon?: string;
}

function config(dir: string, serviceDir: string): string {
  // A session-type bus that only this user can reach, with activation from our own folder.
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${serviceDir}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** Start a private dbus-daemon and wait until it prints its address. */
export async function startPrivateBus(options: PrivateBusOptions = {}): Promise<PrivateBus> {
  const dir = await mkdtemp(join(tmpdir(), 'cave-bus-'));
  const serviceDir = join(dir, 'services');
  await mkdir(serviceDir);
  const configFile = join(dir, 'bus.conf');
  await writeFile(configFile, config(dir, serviceDir));
  const child = spawn(options.daemon ?? 'dbus-daemon', [`--config-file=${configFile}`, '--nofork', '--print-address=1'], {
    env: options.env ?? process.env,
    // Its stderr is chatter (fd limits, reloads); only its first line of stdout matters.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const address = await readAddress(child);
    const addService = async (name: string, exec: string) => {
      await writeFile(join(serviceDir, `${name}.service`), `[D-BUS Service]\nName=${name}\nExec=${exec}\n`);
      await reloadConfig(address);
    };
    return { address, serviceDir, dir, pid: child.pid!, addService, stop: () => stopDaemon(child, dir) };
  } catch (error) {
    await stopDaemon(child, dir);
    throw error;
  }
}

/** Ask the daemon to re-read its configuration and service folders; it answers once done. */
async function reloadConfig(address: string): Promise<void> {
  const bus = sessionBus({ busAddress: address });
  bus.on('error', () => undefined); // a failed connection rejects the call below instead
  try {
    await bus.call(new Message({
      destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus',
      interface: 'org.freedesktop.DBus', member: 'ReloadConfig',
    }));
  } finally {
    bus.disconnect();
  }
}

function readAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const fail = (why: string) => reject(new Error(`dbus-daemon did not start: ${why}`));
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code) => fail(`exited with ${code}`));
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) resolve(text.slice(0, newline).trim());
    });
  });
}

async function stopDaemon(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}
