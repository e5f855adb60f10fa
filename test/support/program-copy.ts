/**
 * The built programs as an ordinary user can run them wherever the checkout lives: a checkout in
 * a 0700 home (Fedora's default, root's) is out of reach for `nobody`, so tests that run a program
 * as another user run a copy of dist/ (with the package.json whose imports map it resolves
 * through), as `npm install -g` would install it for every user.
 */
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './child-env.js';

/** A copy of the built programs that every user can read; `remove()` when done. */
export interface ProgramCopy {
  /** The copy's top folder. */
  readonly dir: string;
  /** The copied `what-to-backup` program. */
  readonly whatToBackup: string;
  /** Deletes the copy. */
  remove(): void;
}

function openToAll(path: string): void {
  const isDirectory = statSync(path).isDirectory();
  chmodSync(path, isDirectory ? 0o755 : statSync(path).mode & 0o100 ? 0o755 : 0o644);
  if (isDirectory) for (const name of readdirSync(path)) openToAll(join(path, name));
}

/** Copies dist/ and package.json to a fresh folder under the system's temporary folder. */
export function copyProgramForAllUsers(): ProgramCopy {
  const dir = mkdtempSync(join(tmpdir(), 'cave-program-'));
  cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  cpSync(join(repoRoot, 'dist'), join(dir, 'dist'), { recursive: true });
  openToAll(dir);
  return { dir, whatToBackup: join(dir, 'dist/bin/what-to-backup.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
