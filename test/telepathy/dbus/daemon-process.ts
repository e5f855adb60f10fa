import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bins, childEnv } from '#test/support/child-env.js';

export const CM = 'org.freedesktop.Telepathy.ConnectionManager.cave';
export const CM_PATH = '/org/freedesktop/Telepathy/ConnectionManager/cave';
export const TP = 'org.freedesktop.Telepathy';

export interface DaemonProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves when it exits, with its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/** Start the built telepathy-cave on a bus, as a user would, with coverage collection. */
export function spawnDaemon(address: string, args: string[] = [], env: Record<string, string> = {}): DaemonProcess {
  const child = spawn(process.execPath, [bins.telepathyCave, ...args], {
    env: childEnv({ DBUS_SESSION_BUS_ADDRESS: address, ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

/** Let the private bus start telepathy-cave on demand, as an installed service file would. */
export async function makeActivatable(serviceDir: string, args: string[] = []): Promise<void> {
  const exec = [process.execPath, bins.telepathyCave, ...args].join(' ');
  await writeFile(join(serviceDir, `${CM}.service`), `[D-BUS Service]\nName=${CM}\nExec=${exec}\n`);
}

/** Environment for a private bus whose activated daemons write coverage and never see the real bus. */
export const activationEnv = () => childEnv();

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}
