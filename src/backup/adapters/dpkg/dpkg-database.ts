import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseDiversions, type Diversion } from '#backup/domain/dpkg/diversions.js';
import { DpkgTableBuilder } from '#backup/domain/dpkg/dpkg-table-builder.js';
import type { DpkgVerifyMode } from '#backup/domain/dpkg/owned-records.js';
import { infoName, parseDpkgStatus, type InstalledPackage } from '#backup/domain/dpkg/status-file.js';
import { errorCode } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { loadNativeWalker, type NativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { loadDpkgInfoNatively } from './native-dpkg-load.js';
import { parseDpkgStatusNatively } from './native-dpkg-status.js';
import { DPKG_ADMINDIR } from './dpkg-admindir.js';
import type { PackageDatabase, PackageDatabasePort } from '#backup/domain/ports/package-database.port.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';

/** Where the dpkg database is and how much of it to load. */
export interface DpkgOptions {
  /** The scanned system's top directory on this host (dpkg --root). */
  root?: string;
  /** The database directory on this host (dpkg --admindir); `ROOT/var/lib/dpkg` by default. */
  admindir?: string;
  /** `none`: ownership only, no digests handed to the scanner. */
  verify?: DpkgVerifyMode;
  /** The native reader of the status and info files, or false for the JavaScript one; the addon's when built. */
  native?: NativeDpkg | false;
}

function unreadable(path: string, error: unknown): PackageDatabaseError {
  return new PackageDatabaseError(`cannot read ${path}: ${(error as Error).message}`);
}

/** What the addon reads a dpkg database with. */
export type NativeDpkg = Required<Pick<NativeWalker, 'loadDpkgInfo' | 'dpkgStatusFields'>>;

/** The addon's dpkg reader, unless it was not built (or is turned off) or predates it. */
function nativeDpkg(): NativeDpkg | undefined {
  const addon = loadNativeWalker(process.env);
  return addon?.loadDpkgInfo && addon.dpkgStatusFields ? { loadDpkgInfo: addon.loadDpkgInfo, dpkgStatusFields: addon.dpkgStatusFields } : undefined;
}

/** The file's bytes; undefined when it does not exist. */
function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw unreadable(path, error);
  }
}

/** Reads whole files into one buffer it reuses (grown as needed): a few thousand small files, no buffer each. */
class FileReader {
  bytes = Buffer.allocUnsafe(256 * 1024);

  /** How many bytes the file has (now at the start of `bytes`); undefined when it does not exist. */
  read(path: string): number | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw unreadable(path, error);
    }
    try {
      let length = 0;
      for (;;) {
        if (length === this.bytes.length) this.grow(fstatSync(fd).size + 4096);
        const got = readSync(fd, this.bytes, length, this.bytes.length - length, null);
        if (got === 0) return length;
        length += got;
      }
    } catch (error) {
      throw unreadable(path, error);
    } finally {
      closeSync(fd);
    }
  }

  /** Room for `size` bytes (the file's size, once a read fills the buffer), and at least twice as much. */
  private grow(size: number): void {
    const next = Buffer.allocUnsafe(Math.max(size, this.bytes.length * 2));
    this.bytes.copy(next);
    this.bytes = next;
  }
}

/**
 * The real dpkg database, read straight from its files (no dpkg process): the status file, the
 * diversions and each installed package's `.list` and `.md5sums`, in one synchronous pass (a few
 * thousand small files: measured faster than a promise per file, as the scanner's walk found too).
 * With the addon built, its C finds the status fields and reads and parses the info files (145,000
 * paths: 0.19 s instead of 0.58 s at load average 15, most of the JavaScript's time having gone to
 * byte loops V8 had not compiled yet; two threads share the reading and parsing, see dpkg-reader.c);
 * else the JavaScript here does, the reference both are tested against.
 */
export class DpkgDatabase implements PackageDatabasePort {
  /** The database directory on this host that is read. */
  readonly admindir: string;
  private readonly verify: DpkgVerifyMode;
  private readonly native: NativeDpkg | undefined;

  constructor(options: DpkgOptions = {}) {
    this.native = options.native === false ? undefined : (options.native ?? nativeDpkg());
    const root = (options.root ?? '/').replace(/\/+$/, '');
    this.admindir = options.admindir ?? `${root}${DPKG_ADMINDIR}`;
    this.verify = options.verify ?? 'content';
  }

  /**
   * Reads `pkg`'s `.list` (and `.md5sums`) into the readers: `name:arch.list` for Multi-Arch:
   * same, else `name.list`; false when it has none. Opening each candidate in turn answers what a
   * listing of the info directory would, without reading its thousands of names.
   */
  private readInfo(pkg: InstalledPackage, lists: FileReader, md5sums: FileReader): { list: number; md5sums: number } | undefined {
    for (const base of [infoName(pkg), `${pkg.name}:${pkg.architecture}`, pkg.name]) {
      const info = `${this.admindir}/info/${base}`;
      const list = lists.read(`${info}.list`);
      if (list !== undefined) return { list, md5sums: md5sums.read(`${info}.md5sums`) ?? 0 };
    }
    return undefined;
  }

  /** The JavaScript loader of the info files: one package's lists at a time, straight into the table. */
  private loadInfo(installed: readonly InstalledPackage[], diversions: readonly Diversion[]): { table: OwnedFileTable; unlisted: string[] } {
    const builder = new DpkgTableBuilder(diversions, this.verify);
    const unlisted: string[] = [];
    const lists = new FileReader();
    const md5sums = new FileReader();
    for (const pkg of installed) {
      const read = this.readInfo(pkg, lists, md5sums);
      const owner = infoName(pkg);
      if (read === undefined) unlisted.push(owner);
      else builder.add({ owner, name: pkg.name, conffiles: pkg.conffiles }, lists.bytes, read.list, md5sums.bytes, read.md5sums);
    }
    return { table: builder.table, unlisted };
  }

  // async to fit the port; the reading itself is synchronous (see the class comment).
  async load(): Promise<PackageDatabase> {
    const status = readBytes(`${this.admindir}/status`);
    if (status === undefined) {
      throw new PackageDatabaseError(
        `no dpkg database at ${this.admindir} (its status file is missing); give the right one with --admindir, or use --package-db none`,
      );
    }
    const installed = this.native ? parseDpkgStatusNatively(this.native.dpkgStatusFields, status) : parseDpkgStatus(status.toString('latin1'));
    if (installed.length === 0) {
      // Never read an empty database as "everything is new" without saying so.
      throw new PackageDatabaseError(`the dpkg database at ${this.admindir} lists no installed packages; use --package-db none to list everything`);
    }
    const diversions: Diversion[] = parseDiversions(readBytes(`${this.admindir}/diversions`)?.toString('latin1') ?? '');
    const { table: files, unlisted } = this.native
      ? loadDpkgInfoNatively(this.native.loadDpkgInfo, this.admindir, installed, diversions, this.verify)
      : this.loadInfo(installed, diversions);
    files.trim();
    const note = unlisted.length ? ` (no file list for ${unlisted.join(', ')}: taken to own nothing, as dpkg does)` : '';
    return { source: `dpkg database ${this.admindir}${note}`, packageCount: installed.length, files };
  }
}
