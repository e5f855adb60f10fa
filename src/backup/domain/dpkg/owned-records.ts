/**
 * dpkg's knowledge turned into the package database port's records. dpkg keeps no size, mode,
 * owner or mtime, only md5 digests (from `.md5sums`, or the status file for conffiles), so:
 * - a path with a digest is a regular file: its digest is tested, and that it is still not a
 *   symlink (an empty expected link target, see verify-file.ts);
 * - a parent of another listed path is a directory: nothing to test;
 * - any other path is what dpkg records without a digest, a symlink: a regular file found there is
 *   content nobody can vouch for, so it is tested as a file without a recorded digest (modified).
 *   `dpkg --verify` skips such paths; here a package symlink replaced by the admin's file is saved.
 */
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { Verify } from '#backup/domain/verify/verify-flags.js';
import { divertedPath, type Diversion } from './diversions.js';
import type { Conffile } from './status-file.js';

/** What dpkg records for one installed package. */
export interface DpkgPackageFiles {
  /** The package as `dpkg -S` prints it (`name` or `name:arch`). */
  readonly owner: string;
  /** The bare package name, as the diversions file names the diverting package. */
  readonly name: string;
  /** Paths from its `.list`, in order. */
  readonly paths: readonly string[];
  /** Path → md5 from its `.md5sums`. */
  readonly digests: ReadonlyMap<string, string>;
  /** Its configuration files, with the digests they had when installed. */
  readonly conffiles: readonly Conffile[];
}

/** `content` compares digests; `none` loads ownership only (nothing is read but dpkg's own files). */
export type DpkgVerifyMode = 'content' | 'none';

/** What dpkg's records make of a listed path (see the module comment). */
export type DpkgKind = 'directory' | 'file' | 'symlink';

/** The type bits of st_mode; dpkg records no permissions, so they stay 0. */
export const DPKG_MODES = {
  /** S_IFDIR. */
  directory: 0o040000,
  /** S_IFREG. */
  file: 0o100000,
  /** S_IFLNK. */
  symlink: 0o120000,
} as const;

/** A listed path's kind: a parent of another listed path, else a file when it has a digest. */
export function dpkgKind(directory: boolean, digest: string | boolean): DpkgKind {
  return directory ? 'directory' : digest ? 'file' : 'symlink';
}

/** The verify flags a path of `kind` is tested with. */
export function dpkgTests(kind: DpkgKind, verify: DpkgVerifyMode): number {
  return verify === 'none' ? 0 : kind === 'file' ? Verify.DIGEST | Verify.LINKTO : kind === 'symlink' ? Verify.DIGEST : 0;
}

/** Every path that is a parent of another path in the list: a directory, whatever the disk says. */
function directoriesOf(paths: readonly string[]): Set<string> {
  const dirs = new Set<string>();
  for (const path of paths) {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      const dir = path.slice(0, cut);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
    if (path !== '/') dirs.add('/');
  }
  return dirs;
}

/** Shared, never mutated: 120,000 records need not carry 120,000 copies. */
const FLAGS = {
  config: Object.freeze({ config: true, ghost: false, doc: false, missingOk: false }),
  plain: Object.freeze({ config: false, ghost: false, doc: false, missingOk: false }),
};

/** The record of `pkg`'s path found at `path`, of `kind`, `known` its recorded digest (or ''). */
export function dpkgRecord(path: string, owner: string, kind: DpkgKind, known: string, config: boolean, verify: DpkgVerifyMode): OwnedFile {
  const digest = verify === 'content' && kind === 'file' ? known : '';
  return {
    path,
    package: owner,
    size: 0n,
    mode: DPKG_MODES[kind],
    digest,
    digestAlgo: digest ? 'md5' : undefined,
    mtime: 0n,
    linkTarget: '',
    user: 'root',
    group: 'root',
    rdev: 0,
    flags: config ? FLAGS.config : FLAGS.plain,
    verifyFlags: dpkgTests(kind, verify),
    state: 'normal',
  };
}

/**
 * The record of `pkg`'s listed `path` taken the string route (a conffile, a diverted path, a path
 * without a folder): `directory` when it is a parent of another of its paths, `hex` the digits its
 * `.md5sums` has for it (either case), if any. dpkg prefers those to the conffile's own digest.
 */
export function dpkgListedRecord(
  pkg: Pick<DpkgPackageFiles, 'owner' | 'name' | 'conffiles'>,
  path: string,
  directory: boolean,
  hex: string | undefined,
  byFrom: ReadonlyMap<string, Diversion>,
  verify: DpkgVerifyMode,
): OwnedFile {
  let conffile: Conffile | undefined;
  // The last one wins, as in dpkgOwnedFiles' map.
  for (const c of pkg.conffiles) if (c.path === path) conffile = c;
  const known = hex !== undefined ? hex.toLowerCase() : (conffile?.digest ?? '');
  return dpkgRecord(divertedPath(path, pkg.name, byFrom), pkg.owner, dpkgKind(directory, known), known, conffile !== undefined, verify);
}

/** One record per path per package, at the path where dpkg put the file (diversions applied). */
export function dpkgOwnedFiles(
  packages: readonly DpkgPackageFiles[],
  diversions: readonly Diversion[],
  verify: DpkgVerifyMode = 'content',
): OwnedFile[] {
  const byFrom = new Map(diversions.map((d) => [d.from, d]));
  const files: OwnedFile[] = [];
  for (const pkg of packages) {
    const dirs = directoriesOf(pkg.paths);
    const conffiles = new Map(pkg.conffiles.length ? pkg.conffiles.map((c) => [c.path, c]) : []);
    for (const path of pkg.paths) {
      const conffile = conffiles.get(path);
      // dpkg prefers the .md5sums digest and falls back to the one recorded for the conffile.
      const known = pkg.digests.get(path) ?? conffile?.digest ?? '';
      const kind = dpkgKind(dirs.has(path), known);
      files.push(dpkgRecord(divertedPath(path, pkg.name, byFrom), pkg.owner, kind, known, conffile !== undefined, verify));
    }
  }
  return files;
}
