import { existsSync, statSync } from 'node:fs';
import type { DpkgVerifyMode } from '#backup/domain/dpkg/owned-records.js';
import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { DPKG_ADMINDIR } from '#backup/adapters/dpkg/dpkg-admindir.js';
import { hasDatabase, KNOWN_DBPATHS } from '#backup/adapters/rpm/known-dbpaths.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';
import { isFile } from '#backup/adapters/node-fs/is-file.js';

/** Which package databases a root holds, for `--package-db auto`. */
export type DetectedPackageDb = 'rpm' | 'dpkg' | 'both' | 'none';

/** What `--package-db` accepts. */
export type PackageDbChoice = 'auto' | 'rpm' | 'dpkg' | 'none';

/**
 * Looks at the root's own files, runs nothing: a dpkg database is a `var/lib/dpkg/status` file, an
 * rpm one a database file in one of rpm's usual folders. An empty folder (Debian's rpm package
 * ships an empty /var/lib/rpm) is not a database.
 */
export function detectPackageDb(root = '/'): DetectedPackageDb {
  const top = root.replace(/\/+$/, '');
  const dpkg = isFile(`${top}${DPKG_ADMINDIR}/status`);
  const rpm = KNOWN_DBPATHS.some((dir) => hasDatabase(top, dir));
  return dpkg && rpm ? 'both' : dpkg ? 'dpkg' : rpm ? 'rpm' : 'none';
}

/** Where the scanned system and its package databases are, for {@link loadPackageDb}. */
export interface PackageDbOptions {
  /** The scanned system's top directory on this host. */
  readonly root: string;
  /** rpm's database inside the root (rpm --dbpath). */
  readonly dbpath?: string | undefined;
  /** dpkg's database directory on this host (dpkg --admindir). */
  readonly admindir?: string | undefined;
  /** For dpkg: `none` loads ownership only. */
  readonly verify?: DpkgVerifyMode | undefined;
  /** The cache folder where rpm's answer is kept between runs (see RpmSnapshots); none with --no-cache. */
  readonly snapshotFolder?: string | undefined;
}

/** The database to scan against (undefined: none), and a line for the report when the choice needs one. */
export interface LoadedPackageDb {
  /** The database, or both merged; undefined when there is none to use. */
  readonly database: PackageDatabase | undefined;
  /** Said in the report, e.g. which database `auto` found or why one was left out. */
  readonly note?: string;
  /** Keeps what was loaded for the next run (after the scan: it writes a file); a line for the report when it could not. */
  readonly keep?: (() => string | undefined) | undefined;
}

function merge(a: PackageDatabase, b: PackageDatabase): PackageDatabase {
  const files = OwnedFileTable.from(a.files);
  for (const record of b.files) files.add(record);
  files.trim();
  return { source: `${a.source} and ${b.source}`, packageCount: a.packageCount + b.packageCount, files };
}

/**
 * Loads what `--package-db` asks for. `auto` takes every database the root holds: both on a
 * Debian system that also installed rpm packages (an rpm database that cannot be read is then
 * reported, and its files count as new); none found is said plainly, never silently.
 * Throws PackageDatabaseError when the chosen database cannot be read.
 */
export async function loadPackageDb(choice: PackageDbChoice, options: PackageDbOptions): Promise<LoadedPackageDb> {
  const kind = choice === 'auto' ? detectPackageDb(options.root) : choice;
  // Each adapter is loaded only when its database is read: an rpm run loads no dpkg code, nor the reverse.
  let reader: { keep?: (() => void) | undefined } | undefined;
  const rpm = async () => {
    const [{ RpmDatabase }, { RpmSnapshots }] = await Promise.all([import('#backup/adapters/rpm/rpm-database.js'), import('#backup/adapters/rpm-snapshot/rpm-snapshot.js')]);
    const snapshots = options.snapshotFolder === undefined ? undefined : new RpmSnapshots(options.snapshotFolder);
    const database = new RpmDatabase({ root: options.root, snapshots, ...(options.dbpath === undefined ? {} : { dbpath: options.dbpath }) });
    reader = database;
    return database.load();
  };
  const keep = () => {
    try {
      return void reader?.keep?.();
    } catch (error) {
      return `rpm's answer could not be kept for the next run: ${(error as Error).message}`;
    }
  };
  const dpkg = async () => new (await import('#backup/adapters/dpkg/dpkg-database.js')).DpkgDatabase({ root: options.root, admindir: options.admindir, verify: options.verify }).load();
  switch (kind) {
    case 'none':
      return choice === 'auto'
        ? { database: undefined, note: `no rpm or dpkg database found in ${options.root}: everything found is listed as new` }
        : { database: undefined };
    case 'rpm':
      return { database: await rpm(), keep };
    case 'dpkg':
      return { database: await dpkg() };
    case 'both': {
      const debian = await dpkg();
      try {
        return { database: merge(debian, await rpm()), keep };
      } catch (error) {
        if (!(error instanceof PackageDatabaseError)) throw error;
        return { database: debian, note: `an rpm database was found but not read (${error.message}); files only rpm owns are listed as new` };
      }
    }
  }
}
