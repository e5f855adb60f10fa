import { readdirSync, readFileSync } from 'node:fs';
import { parseDiversions, type Diversion } from '#backup/domain/dpkg/diversions.js';
import { parseDpkgList } from '#backup/domain/dpkg/list-file.js';
import { parseMd5sums } from '#backup/domain/dpkg/md5sums.js';
import { dpkgOwnedFiles, type DpkgPackageFiles, type DpkgVerifyMode } from '#backup/domain/dpkg/owned-records.js';
import { infoName, parseDpkgStatus, type InstalledPackage } from '#backup/domain/dpkg/status-file.js';
import { errorCode } from '#backup/domain/ports/file-system.port.js';
import type { PackageDatabase, PackageDatabasePort } from '#backup/domain/ports/package-database.port.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';

/** Where the dpkg database is and how much of it to load. */
export interface DpkgOptions {
  /** The scanned system's top directory on this host (dpkg --root). */
  root?: string;
  /** The database directory on this host (dpkg --admindir); `ROOT/var/lib/dpkg` by default. */
  admindir?: string;
  /** `none`: ownership only, no digests handed to the scanner. */
  verify?: DpkgVerifyMode;
}

/** Where dpkg keeps its database inside a root, as dpkg itself defaults. */
export const DPKG_ADMINDIR = '/var/lib/dpkg';

/** The file's bytes as a byte string (one character per byte); undefined when it does not exist. */
function readBytes(path: string): string | undefined {
  try {
    return readFileSync(path).toString('latin1');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new PackageDatabaseError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * The real dpkg database, read straight from its files (no dpkg process): the status file, the
 * diversions and each installed package's `.list` and `.md5sums`, in one synchronous pass (a few
 * thousand small files: measured faster than a promise per file, as the scanner's walk found too).
 */
export class DpkgDatabase implements PackageDatabasePort {
  /** The database directory on this host that is read. */
  readonly admindir: string;
  private readonly verify: DpkgVerifyMode;

  constructor(options: DpkgOptions = {}) {
    const root = (options.root ?? '/').replace(/\/+$/, '');
    this.admindir = options.admindir ?? `${root}${DPKG_ADMINDIR}`;
    this.verify = options.verify ?? 'content';
  }

  /** The info file that exists for `pkg`: `name:arch.list` for Multi-Arch: same, else `name.list`. */
  private infoBase(pkg: InstalledPackage, present: ReadonlySet<string>): string | undefined {
    const candidates = [infoName(pkg), `${pkg.name}:${pkg.architecture}`, pkg.name];
    return candidates.find((base) => present.has(`${base}.list`));
  }

  private packageFiles(pkg: InstalledPackage, present: ReadonlySet<string>): DpkgPackageFiles | undefined {
    const base = this.infoBase(pkg, present);
    if (base === undefined) return undefined;
    const info = `${this.admindir}/info/${base}`;
    const list = readBytes(`${info}.list`);
    const md5sums = present.has(`${base}.md5sums`) ? readBytes(`${info}.md5sums`) : '';
    return {
      owner: infoName(pkg),
      name: pkg.name,
      paths: parseDpkgList(list ?? ''),
      digests: parseMd5sums(md5sums ?? ''),
      conffiles: pkg.conffiles,
    };
  }

  /** The info directory's file names; none when it is missing (every package then owns nothing). */
  private infoNames(): string[] {
    try {
      return readdirSync(`${this.admindir}/info`);
    } catch {
      return [];
    }
  }

  // async to fit the port; the reading itself is synchronous (see the class comment).
  async load(): Promise<PackageDatabase> {
    const status = readBytes(`${this.admindir}/status`);
    if (status === undefined) {
      throw new PackageDatabaseError(
        `no dpkg database at ${this.admindir} (its status file is missing); give the right one with --admindir, or use --package-db none`,
      );
    }
    const installed = parseDpkgStatus(status);
    if (installed.length === 0) {
      // Never read an empty database as "everything is new" without saying so.
      throw new PackageDatabaseError(`the dpkg database at ${this.admindir} lists no installed packages; use --package-db none to list everything`);
    }
    const present = new Set(this.infoNames());
    const diversions: Diversion[] = parseDiversions(readBytes(`${this.admindir}/diversions`) ?? '');
    // One package's lists at a time, straight into the compact table: never every list at once.
    const files = new OwnedFileTable();
    const unlisted: string[] = [];
    for (const pkg of installed) {
      const loaded = this.packageFiles(pkg, present);
      if (loaded === undefined) unlisted.push(infoName(pkg));
      else for (const record of dpkgOwnedFiles([loaded], diversions, this.verify)) files.add(record);
    }
    files.trim();
    const note = unlisted.length ? ` (no file list for ${unlisted.join(', ')}: taken to own nothing, as dpkg does)` : '';
    return { source: `dpkg database ${this.admindir}${note}`, packageCount: installed.length, files };
  }
}
