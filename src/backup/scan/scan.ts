import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { classifyOwned } from '#backup/domain/verify/classify-owned.js';
import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import { errorCode, type FileStat, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile, PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import { needsDigest, verifyFile, type Observation } from '#backup/domain/verify/verify-file.js';
import { Verify } from '#backup/domain/verify/verify-flags.js';
import { OrderedEmitter } from './ordered-emitter.js';
import { OwnershipIndex } from './ownership-index.js';

/** What to scan, through which ports, and where each entry goes. */
export interface ScanOptions {
  /** The scanned system's files. */
  readonly fs: FileSystemPort;
  /** Hashes content to compare with the recorded digests. */
  readonly digester: DigestPort;
  /** Turns owner and group ids into the names packages record. */
  readonly accounts: AccountsPort;
  /** The package database; absent with `--package-db none`, and then everything is new. */
  readonly database?: PackageDatabase | undefined;
  /** Where to start, in the scanned system; `/` by default. */
  readonly roots?: readonly string[];
  /** Stay on the roots' file systems (the default): other mounts are listed as not scanned. */
  readonly oneFileSystem?: boolean;
  /** Compare metadata only: no content is read, a digest is taken as matching. */
  readonly quick?: boolean;
  /** Paths not to look into (`--exclude-from`, skip rules); they are still emitted, as excluded. */
  readonly isExcluded?: (path: string, isDirectory: boolean) => boolean;
  /** Receives every entry in walk order, classified. */
  readonly onEntry: (entry: ScannedEntry) => void;
  /** Called every few hundred entries with the path being looked at. */
  readonly onProgress?: (entries: number, path: string) => void;
}

/** A path the package database owns that the walk did not find (rpm's `missing`). */
export interface MissingFile {
  /** The owned path, as the database spells it. */
  readonly path: string;
  /** The package that owns it. */
  readonly package: string;
  /** A configuration file (rpm prints `c`). */
  readonly config: boolean;
}

/** Counts and leftovers of a finished scan, for the summary. */
export interface ScanReport {
  /** Entries the walk looked at. */
  readonly entries: number;
  /** Files whose content was read to compare digests (cache hits and repeated hard links not counted). */
  readonly hashed: number;
  /** Entries reported unreadable (each also emitted with class `unreadable`). */
  readonly unreadable: number;
  /** Entries that disappeared while being scanned: nothing left to back up. */
  readonly vanished: readonly string[];
  /** Owned paths the walk did not find, by path; %ghost, %missingok and paths under skipped folders left out. */
  readonly missing: readonly MissingFile[];
}

function kindOf(stat: FileStat): EntryKind {
  return stat.type === 'file' || stat.type === 'directory' || stat.type === 'symlink' ? stat.type : 'other';
}

function isDirectoryMode(mode: number): boolean {
  return (mode & 0o170000) === 0o40000;
}

function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function normalizeRoot(root: string): string {
  const parts = root.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

function inside(path: string, top: string): boolean {
  return top === '/' || path === top || path.startsWith(`${top}/`);
}

/** Byte order, as `LC_ALL=C ls` sorts: the list is stable whatever order the disk returns. */
function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Walks depth-first (a directory before its children), never follows symlinks and never writes. */
export async function scan(options: ScanOptions): Promise<ScanReport> {
  const { fs, accounts } = options;
  const oneFileSystem = options.oneFileSystem ?? true;
  const index = new OwnershipIndex(options.database, fs);
  const mounts = oneFileSystem ? fs.mountPoints() : new Set<string>();
  const emitter = new OrderedEmitter(options.onEntry, () => options.digester.flush?.());
  const seenOwned = new Set<string>();
  const skipped = new Set<string>();
  const vanished: string[] = [];
  const sameInode = new Map<string, Promise<DigestResult>>();
  let entries = 0;
  let hashed = 0;
  let unreadable = 0;

  const roots = [...new Set((options.roots ?? ['/']).map(normalizeRoot))].sort();
  const topRoots = roots.filter((r) => !roots.some((o) => o !== r && inside(r, o)));

  const digestOf = (path: string, stat: FileStat, record: OwnedFile): DigestResult | Promise<DigestResult> => {
    const hit = options.digester.known?.(stat, record.digestAlgo!);
    if (hit) return hit; // a cache hit decides at once: the entry need not wait in the queue
    const key = stat.nlink > 1n ? `${stat.dev}:${stat.ino}:${record.digestAlgo}` : '';
    const known = key ? sameInode.get(key) : undefined;
    if (known) return known;
    hashed++;
    const pending = options.digester.digest(path, record.digestAlgo!, stat);
    if (key) sameInode.set(key, pending);
    return pending;
  };

  const observe = (path: string, stat: FileStat, owners: readonly OwnedFile[]): Promise<Observation[]> | Observation[] => {
    let linkTarget: string | undefined;
    if (stat.type === 'symlink' && owners.some((o) => o.verifyFlags & Verify.LINKTO)) {
      try {
        linkTarget = fs.readlink(path);
      } catch {
        linkTarget = undefined;
      }
    }
    const digests = owners.map((o): DigestResult | Promise<DigestResult> | undefined => {
      if (!needsDigest(o, stat)) return undefined;
      // --quick takes the recorded digest as matching: synchronous, so nothing waits on it.
      if (options.quick) return { ok: true, hex: o.digest.toLowerCase(), size: stat.size };
      return digestOf(path, stat, o);
    });
    const seenAs = owners.map((o) => (isDirectoryMode(o.mode) && stat.type === 'symlink' ? followedDirectory(path, stat) : stat));
    const make = (results: Array<DigestResult | undefined>) => results.map((digest, i) => ({ stat: seenAs[i], linkTarget, digest }));
    return digests.some((d) => d instanceof Promise) ? Promise.all(digests).then(make) : make(digests as Array<DigestResult | undefined>);
  };

  /**
   * rpm verifies a directory that became a symlink to a directory as that directory, when the
   * link belongs to root or to the directory's owner (rpmfilesVerify does the same).
   */
  const followedDirectory = (path: string, link: FileStat): FileStat => {
    try {
      const resolved = index.resolve(`${path}/_`); // resolves every directory of the path, the link included
      const target = fs.lstat(resolved.slice(0, resolved.lastIndexOf('/')) || '/');
      return target.type === 'directory' && (link.uid === 0n || link.uid === target.uid) ? target : link;
    } catch {
      return link;
    }
  };

  const entryFor = (path: string, stat: FileStat, cls: EntryClass, reason?: string): ScannedEntry => {
    if (cls === 'unreadable') unreadable++;
    const base = {
      path,
      kind: kindOf(stat),
      class: cls,
      size: stat.type === 'directory' ? 0n : stat.size,
      identity: { dev: stat.dev, ino: stat.ino },
      links: Number(stat.nlink),
    };
    return reason === undefined ? base : { ...base, reason };
  };

  const classify = (path: string, stat: FileStat): ScannedEntry | Promise<ScannedEntry> => {
    const owners = index.owners(path);
    if (owners.length === 0) return entryFor(path, stat, 'new'); // classifyOwned's verdict, without its allocations
    seenOwned.add(path);
    const decide = (seen: Observation[]) => {
      const verdict = classifyOwned(owners, owners.map((o, i) => verifyFile(o, seen[i]!, accounts, owners.length)));
      return entryFor(path, stat, verdict.class, verdict.reason);
    };
    const seen = observe(path, stat, owners);
    return seen instanceof Promise ? seen.then(decide) : decide(seen);
  };

  /** Looks at one path; returns its children to walk when it is a directory to descend. */
  const visit = (path: string, rootDev: bigint, isRoot: boolean): string[] => {
    let stat: FileStat;
    try {
      stat = fs.lstat(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') vanished.push(path);
      else {
        unreadable++;
        skipped.add(path);
        emitter.push({ path, kind: 'other', class: 'unreadable', size: 0n, reason: code });
      }
      return [];
    }
    entries++;
    if (entries % 512 === 0) options.onProgress?.(entries, path);
    const isDir = stat.type === 'directory';
    const skip = (cls: EntryClass, reason?: string): string[] => {
      skipped.add(path);
      emitter.push(entryFor(path, stat, cls, reason));
      return [];
    };
    if (!isRoot && options.isExcluded?.(path, isDir)) return skip('excluded');
    if (isDir && !isRoot && oneFileSystem && (mounts.has(path) || stat.dev !== rootDev)) {
      return skip('not-scanned', mounts.has(path) ? 'mount point' : 'another file system');
    }
    if ((stat.type === 'file' || isDir) && !fs.canRead(path, stat.type)) return skip('unreadable', 'EACCES');
    if (!isDir) {
      emitter.push(classify(path, stat));
      return [];
    }
    let names: string[];
    try {
      names = fs.list(path).sort(byName).map((d) => childPath(path, d.name));
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') {
        vanished.push(path);
        skipped.add(path);
        return [];
      }
      return skip('unreadable', code);
    }
    emitter.push(classify(path, stat));
    return names;
  };

  for (const root of topRoots) {
    let rootDev = 0n;
    try {
      rootDev = fs.lstat(root).dev;
    } catch {
      // visit() reports it
    }
    // An explicit stack of pending children keeps deep trees off the call stack.
    const stack: Array<{ names: string[]; at: number }> = [{ names: [root], at: 0 }];
    let first = true;
    while (stack.length) {
      const level = stack[stack.length - 1]!;
      if (level.at === level.names.length) {
        stack.pop();
        continue;
      }
      const children = visit(level.names[level.at++]!, rootDev, first);
      first = false;
      if (emitter.full) await emitter.drain(emitter.half);
      if (children.length) stack.push({ names: children, at: 0 });
    }
  }
  await emitter.drain();

  const missing: MissingFile[] = [];
  const underSkipped = (path: string) => {
    for (let at = path; at.length > 1; at = at.slice(0, Math.max(1, at.lastIndexOf('/')))) if (skipped.has(at)) return true;
    return skipped.has('/');
  };
  for (const [path, owners] of index.entries()) {
    if (seenOwned.has(path) || !topRoots.some((r) => inside(path, r)) || underSkipped(path)) continue;
    for (const o of owners) {
      const reported = o.state !== 'not-installed' && o.state !== 'net-shared' && !o.flags.ghost && !o.flags.missingOk && o.mode !== 0;
      if (reported) missing.push({ path, package: o.package, config: o.flags.config });
    }
  }
  missing.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, hashed, unreadable, vanished, missing };
}
