/**
 * The walk of one scan, as a type whose state is fields and whose work is small methods (restic's
 * `Archiver` is the model): depth-first, a directory before its children, never following a
 * symlink and never writing.
 * @module
 */
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { byName } from '#backup/domain/paths/byte-order.js';
import { childPath, isSameOrBelow, normalizeRoot } from '#backup/domain/paths/byte-path.js';
import { errorCode, type AheadRules, type FileStat, type FileSystemPort, type ListingsAhead, type StatusEntry } from '#backup/domain/ports/file-system.port.js';
import type { OwnedVerdict } from '#backup/domain/verify/classify-owned.js';
import { OrderedEmitter, type EntryLater } from './ordered-emitter.js';
import type { OwnedVerdicts } from './owned-verdicts.js';
import { PendingEntry } from './pending-entry.js';
import type { ScanOptions, ScanReport } from './scan-options.js';

function kindOf(stat: FileStat): EntryKind {
  return stat.type === 'file' || stat.type === 'directory' || stat.type === 'symlink' ? stat.type : 'other';
}

/** Paths still to visit in one directory, with their status when the listing gave it (listWithStatus; else {@link UNKNOWN}). */
interface Level {
  readonly names: string[];
  readonly known: StatusEntry[];
  at: number;
}

/**
 * The status of no path: a level whose listing gave none. An empty array, never undefined: a field
 * that holds both made V8 drop the walk's optimized code once it saw the second (measured).
 */
const UNKNOWN: StatusEntry[] = [];

const NOTHING: Level = { names: [], known: UNKNOWN, at: 0 };

/** One scan: construct with its options, then `run()` once. */
export class Walk {
  private readonly fs: FileSystemPort;
  private readonly oneFileSystem: boolean;
  private readonly mounts: ReadonlySet<string>;
  private readonly descent: AheadRules;
  private readonly emitter: OrderedEmitter;
  /** The roots asked for, without those inside another. */
  private readonly topRoots: string[];
  /** Paths the walk did not look into: what they own is not missing. */
  private readonly skipped = new Set<string>();
  private readonly vanished: string[] = [];
  /** The root's listings read ahead (FileSystemPort.readAhead), while it is walked. */
  private ahead: ListingsAhead | undefined;
  private entries = 0;
  private unreadable = 0;

  /** `owned`: the database's verdicts (owned-verdicts.ts); without it, every path found is new. */
  constructor(
    private readonly options: ScanOptions,
    private readonly owned?: OwnedVerdicts,
  ) {
    this.fs = options.fs;
    this.oneFileSystem = options.oneFileSystem ?? true;
    this.mounts = this.oneFileSystem ? this.fs.mountPoints() : new Set<string>();
    this.descent = { oneFileSystem: this.oneFileSystem, mounts: this.mounts };
    this.emitter = new OrderedEmitter(options.onEntry, () => options.digester.flush?.(), undefined, (p) => this.checked(p));
    const roots = [...new Set((options.roots ?? ['/']).map(normalizeRoot))].sort();
    this.topRoots = roots.filter((r) => !roots.some((o) => o !== r && isSameOrBelow(r, o)));
  }

  /** Walks every root, hands on every entry, and reports the counts and what was missing. */
  async run(): Promise<ScanReport> {
    try {
      for (const root of this.topRoots) await this.walkRoot(root);
    } finally {
      this.options.readAhead?.close();
    }
    await this.emitter.drain();
    const { entries, unreadable, vanished } = this;
    const missing = this.owned?.missing((path) => this.topRoots.some((r) => isSameOrBelow(path, r)) && !this.underSkipped(path)) ?? [];
    return { entries, hashed: this.owned?.hashed ?? 0, unreadable, vanished, missing };
  }

  private async walkRoot(root: string): Promise<void> {
    let rootDev = 0n;
    try {
      rootDev = this.fs.lstat(root).dev;
    } catch {
      // visit() reports it
    }
    const started = this.options.readAhead;
    this.ahead = started?.root === root ? started : this.fs.readAhead?.(root, this.descent);
    try {
      await this.walkFrom(root, rootDev);
    } finally {
      this.ahead?.close();
      this.ahead = undefined;
    }
  }

  private async walkFrom(root: string, rootDev: bigint): Promise<void> {
    // An explicit stack of pending children keeps deep trees off the call stack.
    const stack: Level[] = [{ names: [root], known: UNKNOWN, at: 0 }];
    let first = true;
    while (stack.length) {
      const level = stack[stack.length - 1]!;
      if (level.at === level.names.length) {
        stack.pop();
        continue;
      }
      const at = level.at++;
      // The status is undefined past the end of UNKNOWN.
      const children = this.visit(level.names[at]!, rootDev, first, level.known[at]);
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
      return this.unlisted(path, stat, error);
    }
    return this.descended(path, stat, level);
  }

  private descended(path: string, stat: FileStat, level: Level): Level {
    this.emitter.push(this.classify(path, stat));
    return level;
  }

  /** A directory that could not be listed: vanished, or reported unreadable. */
  private unlisted(path: string, stat: FileStat, error: unknown): Level {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      this.vanished.push(path);
      this.skipped.add(path);
      return NOTHING;
    }
    return this.skip(path, stat, 'unreadable', code);
  }

  /** A directory's children in byte order, with their status when the file system lists it too: read ahead, or now. */
  private children(path: string): Level {
    const ahead = this.ahead?.take(path);
    if (ahead !== undefined) return this.levelOf(path, ahead);
    if (this.fs.listWithStatus) return this.levelOf(path, this.fs.listWithStatus(path));
    return { names: this.fs.list(path).sort(byName).map((d) => childPath(path, d.name)), known: UNKNOWN, at: 0 };
  }

  private levelOf(path: string, known: StatusEntry[]): Level {
    // Sorted again, a presorted listing still cost a call of byName per entry.
    if (this.fs.listsInByteOrder !== true) known.sort(byName);
    return { names: known.map((d) => d.path ?? childPath(path, d.name)), known, at: 0 };
  }

  /** Emits a path the walk does not look into; nothing below it is walked. */
  private skip(path: string, stat: FileStat, cls: EntryClass, reason?: string): Level {
    this.skipped.add(path);
    if (stat.type === 'directory') this.ahead?.skip(path);
    this.emitter.push(this.entryFor(path, stat, cls, reason));
    return NOTHING;
  }

  private classify(path: string, stat: FileStat): EntryLater {
    const verdict = this.owned?.verdict(path, stat);
    if (verdict === undefined) return this.entryFor(path, stat, 'new');
    if (verdict instanceof PendingEntry) return verdict; // its content check answers it; the emitter then calls `checked`
    return verdict instanceof Promise ? verdict.then((v) => this.judged(path, stat, v)) : this.judged(path, stat, verdict);
  }

  /** The entry of a file whose content check is answered. */
  private checked(p: PendingEntry): ScannedEntry {
    return this.judged(p.path, p.stat, this.owned!.afterRead(p));
  }

  private judged(path: string, stat: FileStat, verdict: OwnedVerdict): ScannedEntry {
    return this.entryFor(path, stat, verdict.class, verdict.reason);
  }

  private entryFor(path: string, stat: FileStat, cls: EntryClass, reason?: string): ScannedEntry {
    if (cls === 'unreadable') this.unreadable++;
    const kind = kindOf(stat);
    const size = kind === 'directory' ? 0n : stat.size;
    const links = stat.links ?? Number(stat.nlink);
    // Only a file with more than one link can be counted twice: the others carry no identity
    // (two bigints and an object less per entry; the summary would not look at it).
    if (links > 1 && kind !== 'directory') {
      const identity = { dev: stat.dev, ino: stat.ino };
      return reason === undefined ? { path, kind, class: cls, size, identity, links } : { path, kind, class: cls, size, identity, links, reason };
    }
    return reason === undefined ? { path, kind, class: cls, size, links } : { path, kind, class: cls, size, links, reason };
  }

  private underSkipped(path: string): boolean {
    for (let at = path; at.length > 1; at = at.slice(0, Math.max(1, at.lastIndexOf('/')))) if (this.skipped.has(at)) return true;
    return this.skipped.has('/');
  }
}
