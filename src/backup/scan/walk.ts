/**
 * The walk of one scan, as a type whose state is fields and whose work is small methods (restic's
 * `Archiver` is the model): depth-first, a directory before its children, never following a
 * symlink and never writing.
 * @module
 */
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { byName, byPath } from '#backup/domain/paths/byte-order.js';
import { childPath, isSameOrBelow } from '#backup/domain/paths/byte-path.js';
import { errorCode, type FileStat, type FileSystemPort, type StatusEntry } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { classifyOwned } from '#backup/domain/verify/classify-owned.js';
import { verifyFile, type Observation } from '#backup/domain/verify/verify-file.js';
import { OrderedEmitter } from './ordered-emitter.js';
import { OwnedObserver } from './owned-observer.js';
import { OwnershipIndex } from './ownership-index.js';
import type { MissingFile, ScanOptions, ScanReport } from './scan-options.js';

function kindOf(stat: FileStat): EntryKind {
  return stat.type === 'file' || stat.type === 'directory' || stat.type === 'symlink' ? stat.type : 'other';
}

function normalizeRoot(root: string): string {
  const parts = root.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

/** An owned record the walk did not find that rpm would report missing. */
function isReportedMissing(o: OwnedFile): boolean {
  return o.state !== 'not-installed' && o.state !== 'net-shared' && !o.flags.ghost && !o.flags.missingOk && o.mode !== 0;
}

/** Paths still to visit in one directory, with their status when the listing gave it (listWithStatus). */
interface Level {
  readonly names: string[];
  readonly known: StatusEntry[] | undefined;
  at: number;
}

const NOTHING: Level = { names: [], known: undefined, at: 0 };

/** One scan: construct with its options, then `run()` once. */
export class Walk {
  private readonly fs: FileSystemPort;
  private readonly oneFileSystem: boolean;
  private readonly index: OwnershipIndex;
  private readonly observer: OwnedObserver;
  private readonly mounts: ReadonlySet<string>;
  private readonly emitter: OrderedEmitter;
  /** The roots asked for, without those inside another. */
  private readonly topRoots: string[];
  /** Paths the walk did not look into: what they own is not missing. */
  private readonly skipped = new Set<string>();
  private readonly vanished: string[] = [];
  private entries = 0;
  private unreadable = 0;

  constructor(private readonly options: ScanOptions) {
    this.fs = options.fs;
    this.oneFileSystem = options.oneFileSystem ?? true;
    this.index = new OwnershipIndex(options.database, this.fs);
    this.observer = new OwnedObserver(this.fs, options.digester, this.index, options.quick ?? false, options.accounts);
    this.mounts = this.oneFileSystem ? this.fs.mountPoints() : new Set<string>();
    this.emitter = new OrderedEmitter(options.onEntry, () => options.digester.flush?.());
    const roots = [...new Set((options.roots ?? ['/']).map(normalizeRoot))].sort();
    this.topRoots = roots.filter((r) => !roots.some((o) => o !== r && isSameOrBelow(r, o)));
  }

  /** Walks every root, hands on every entry, and reports the counts and what was missing. */
  async run(): Promise<ScanReport> {
    for (const root of this.topRoots) await this.walkRoot(root);
    await this.emitter.drain();
    const { entries, unreadable, vanished } = this;
    return { entries, hashed: this.observer.hashed, unreadable, vanished, missing: this.missingFiles() };
  }

  private async walkRoot(root: string): Promise<void> {
    let rootDev = 0n;
    try {
      rootDev = this.fs.lstat(root).dev;
    } catch {
      // visit() reports it
    }
    // An explicit stack of pending children keeps deep trees off the call stack.
    const stack: Level[] = [{ names: [root], known: undefined, at: 0 }];
    let first = true;
    while (stack.length) {
      const level = stack[stack.length - 1]!;
      if (level.at === level.names.length) {
        stack.pop();
        continue;
      }
      const at = level.at++;
      const children = this.visit(level.names[at]!, rootDev, first, level.known?.[at]);
      first = false;
      if (this.emitter.full) await this.emitter.drain(this.emitter.half);
      if (children.names.length) stack.push(children);
    }
  }

  /** Looks at one path (its status already `known` from the listing, or not); returns its children to walk when it is a directory to descend. */
  private visit(path: string, rootDev: bigint, isRoot: boolean, known: StatusEntry | undefined): Level {
    const stat = this.lstat(path, known);
    if (stat === undefined) return NOTHING;
    this.entries++;
    if (this.entries % 512 === 0) this.options.onProgress?.(this.entries, path);
    const isDir = stat.type === 'directory';
    if (!isRoot && this.options.isExcluded?.(path, isDir)) return this.skip(path, stat, 'excluded');
    if (isDir && !isRoot && this.oneFileSystem && (this.mounts.has(path) || stat.dev !== rootDev)) {
      return this.skip(path, stat, 'not-scanned', this.mounts.has(path) ? 'mount point' : 'another file system');
    }
    if ((stat.type === 'file' || isDir) && !(known ? known.readable : this.fs.canRead(path, stat.type))) return this.skip(path, stat, 'unreadable', 'EACCES');
    if (!isDir) {
      this.emitter.push(this.classify(path, stat));
      return NOTHING;
    }
    return this.descend(path, stat);
  }

  /** The path's lstat; undefined, with the failure noted, when it vanished or cannot be read. */
  private lstat(path: string, known: StatusEntry | undefined): FileStat | undefined {
    try {
      if (known?.stat) return known.stat;
      if (known) throw Object.assign(new Error(known.code), { code: known.code });
      return this.fs.lstat(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') this.vanished.push(path);
      else {
        this.unreadable++;
        this.skipped.add(path);
        this.emitter.push({ path, kind: 'other', class: 'unreadable', size: 0n, reason: code });
      }
      return undefined;
    }
  }

  /** Emits a directory and returns its children in byte order, or skips it when it cannot be listed. */
  private descend(path: string, stat: FileStat): Level {
    let level: Level;
    try {
      level = this.children(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') {
        this.vanished.push(path);
        this.skipped.add(path);
        return NOTHING;
      }
      return this.skip(path, stat, 'unreadable', code);
    }
    this.emitter.push(this.classify(path, stat));
    return level;
  }

  /** A directory's children in byte order, with their status when the file system lists it too. */
  private children(path: string): Level {
    if (this.fs.listWithStatus) {
      const known = this.fs.listWithStatus(path).sort(byName);
      return { names: known.map((d) => childPath(path, d.name)), known, at: 0 };
    }
    return { names: this.fs.list(path).sort(byName).map((d) => childPath(path, d.name)), known: undefined, at: 0 };
  }

  /** Emits a path the walk does not look into; nothing below it is walked. */
  private skip(path: string, stat: FileStat, cls: EntryClass, reason?: string): Level {
    this.skipped.add(path);
    this.emitter.push(this.entryFor(path, stat, cls, reason));
    return NOTHING;
  }

  private classify(path: string, stat: FileStat): ScannedEntry | Promise<ScannedEntry> {
    const owners = this.index.claim(path);
    if (owners.length === 0) return this.entryFor(path, stat, 'new'); // classifyOwned's verdict, without its allocations
    const seen = this.observer.observe(path, stat, owners);
    return seen instanceof Promise ? seen.then((s) => this.decide(path, stat, owners, s)) : this.decide(path, stat, owners, seen);
  }

  private decide(path: string, stat: FileStat, owners: readonly OwnedFile[], seen: Observation[]): ScannedEntry {
    const accounts = this.observer.accounts;
    const outcomes = owners.length === 1 ? [verifyFile(owners[0]!, seen[0]!, accounts, 1)] : owners.map((o, i) => verifyFile(o, seen[i]!, accounts, owners.length));
    const verdict = classifyOwned(owners, outcomes);
    return this.entryFor(path, stat, verdict.class, verdict.reason);
  }

  private entryFor(path: string, stat: FileStat, cls: EntryClass, reason?: string): ScannedEntry {
    if (cls === 'unreadable') this.unreadable++;
    const base = {
      path,
      kind: kindOf(stat),
      class: cls,
      size: stat.type === 'directory' ? 0n : stat.size,
      identity: { dev: stat.dev, ino: stat.ino },
      links: Number(stat.nlink),
    };
    return reason === undefined ? base : { ...base, reason };
  }

  /** Owned paths the walk did not find: inside a root, not under a skipped path, and reported by rpm. */
  private missingFiles(): MissingFile[] {
    const missing: MissingFile[] = [];
    for (const [path, owners] of this.index.unclaimed()) {
      if (!this.topRoots.some((r) => isSameOrBelow(path, r)) || this.underSkipped(path)) continue;
      for (const o of owners) if (isReportedMissing(o)) missing.push({ path, package: o.package, config: o.flags.config });
    }
    return missing.sort(byPath);
  }

  private underSkipped(path: string): boolean {
    for (let at = path; at.length > 1; at = at.slice(0, Math.max(1, at.lastIndexOf('/')))) if (this.skipped.has(at)) return true;
    return this.skipped.has('/');
  }
}
