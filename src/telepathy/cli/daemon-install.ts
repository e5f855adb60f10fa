import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDesktopFiles } from './desktop-files.js';

/**
 * `telepathy-cave install`: put the `.manager` file where Telepathy clients look for connection
 * managers, a D-Bus activation file whose Exec starts this very program, and the icon and
 * account profiles desktops show.
 */

/** `data/` of the package, beside `src/` or `dist/`. */
export const dataDirectory = fileURLToPath(new URL('../../../data/', import.meta.url));
/** The Telepathy manager file, which tells clients what cave offers. */
export const managerFileName = 'cave.manager';
/** The D-Bus activation file, which lets the bus start cave on first call. */
export const serviceFileName = 'org.freedesktop.Telepathy.ConnectionManager.cave.service';

/** Where `telepathy-cave install` puts its files. */
export type InstallTarget =
  | {
      /** Under the user's XDG data folder (`--user`). */
      readonly kind: 'user';
    }
  | {
      /** Under PREFIX/share (`--prefix`). */
      readonly kind: 'prefix';
      /** The installation prefix, e.g. `/usr/local`. */
      readonly prefix: string;
    };

/** The XDG data folder files go under: `$XDG_DATA_HOME` (or ~/.local/share), or PREFIX/share. */
export function dataHome(target: InstallTarget, env: NodeJS.ProcessEnv): string {
  if (target.kind === 'prefix') return join(target.prefix, 'share');
  return env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
}

/** The activation file for a program started as `command` (words already absolute). */
export async function serviceFile(command: readonly string[]): Promise<string> {
  const template = await readFile(join(dataDirectory, serviceFileName), 'utf8');
  const quoted = command.map((word) => (/[\s"'\\]/.test(word) ? `"${word.replace(/(["\\])/g, '\\$1')}"` : word)).join(' ');
  return template.replace(/^Exec=.*$/m, `Exec=${quoted}`);
}

/** Write both files, then what desktops look for (desktop-files.ts); resolves with the paths written. */
export async function install(target: InstallTarget, command: readonly string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const share = dataHome(target, env);
  const managers = join(share, 'telepathy', 'managers');
  const services = join(share, 'dbus-1', 'services');
  await mkdir(managers, { recursive: true });
  await mkdir(services, { recursive: true });
  const managerPath = join(managers, managerFileName);
  const servicePath = join(services, serviceFileName);
  await writeFile(managerPath, await readFile(join(dataDirectory, managerFileName), 'utf8'));
  await writeFile(servicePath, await serviceFile(command));
  return [managerPath, servicePath, ...(await installDesktopFiles(dataDirectory, share))];
}
