import { readFileSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The program's cache folder: `$XDG_CACHE_HOME/what-to-backup`, by default `~/.cache/what-to-backup`. */
export function cacheFolder(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME ?? '/root', '.cache'), 'what-to-backup');
}

/** `folder` as a path of the scanned system whose top is `root` (a byte string), when it lies inside it. */
export function folderInsideRoot(folder: string, root: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch {
    real = folder;
  }
  const realRoot = realpathSync(root);
  const prefix = realRoot === '/' ? '' : realRoot;
  return real.startsWith(`${prefix}/`) ? Buffer.from(real.slice(prefix.length)).toString('latin1') : undefined;
}

let machine: string | undefined;

/** This machine's identity: /etc/machine-id, else the host name; read once per process (the digest cache and the rpm snapshot both ask). */
export function machineId(): string {
  if (machine !== undefined) return machine;
  try {
    machine = readFileSync('/etc/machine-id', 'utf8').trim() || hostname();
  } catch {
    machine = hostname();
  }
  return machine;
}
