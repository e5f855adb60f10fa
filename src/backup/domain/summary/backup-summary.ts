/**
 * The streaming summary: feed it classified entries, it keeps only the collapsed tree.
 *
 *     const summary = new BackupSummary();
 *     for (const entry of walk) summary.add(entry);      // depth-first, directory before children
 *     const result = summary.close();
 *
 * In the default `depth-first` mode a directory is finalised as soon as the walk leaves it
 * (path-diff checkpointing, see checkpoint.ts). A parallel walker uses `explicit` mode instead: it
 * may add entries in any order in which a directory comes before what is inside it, and finalises
 * each directory itself after everything below it (`finalise`, for a subclass); `close()`
 * finalises whatever is left. Either way each directory is finalised exactly once, after all its
 * descendants, and memory then follows the collapsed tree, not the number of files.
 * @module
 */
import { assertAbsolutePath, baseName, childPath, parentPath } from '#backup/domain/paths/byte-path.js';
import { directoriesLeft } from './checkpoint.js';
import { collapseDirectory, type FoldsOver } from './collapse.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { NameSampler } from './name-sample.js';
import { entryNode, SavedLeaves } from './saved-leaves.js';
import type { SummaryNode } from './summary-node.js';
import { SummaryResult } from './summary-result.js';
import { isReportedClass, TotalsBuilder } from './totals.js';

/** How a {@link BackupSummary} finalises directories and how much it samples. */
export interface BackupSummaryOptions {
  /** `depth-first` (default): finalise directories the walk has left. `explicit`: only on request. */
  readonly completion?: 'depth-first' | 'explicit';
  /** How many names of folded contents to keep per folder (default 5). */
  readonly sampleSize?: number;
  /** Skip rules whose marks do not keep a folder from folding: the backup tool applies them itself (collapse.ts). */
  readonly foldsOver?: FoldsOver;
  /** Called once per directory, when it is finalised, with the path and its collapsed node. */
  readonly onDirectoryComplete?: (path: string, node: SummaryNode | undefined) => void;
}

/** A directory still receiving entries. */
class OpenDirectory {
  /** Finalised children by name (unmodified files are only summarised below, plain saved leaves in `saved`). */
  readonly children = new Map<string, SummaryNode>();
  /** Names of child directories still open. */
  readonly openChildren = new Set<string>();
  /** Names of child directories finalised and gone (empty, unmodified), to catch late entries. */
  readonly vanished = new Set<string>();
  readonly saved = new SavedLeaves();
  readonly unmodifiedSample: NameSampler;
  readonly unmodifiedTotals = new TotalsBuilder();
  /** The greatest name registered so far: a name above it is new. A walk gives names in byte order, so this answers nearly always. */
  private greatest = '';
  /** Every name registered, made once a name came that is not above `greatest`. */
  private names: Set<string> | undefined;

  constructor(
    readonly path: string,
    public own: ScannedEntry | undefined,
    sampleSize: number,
  ) {
    this.unmodifiedSample = new NameSampler(sampleSize);
  }

  /** Whether `name` is a child, open or finalised, or a plain saved leaf (unmodified files are not kept). */
  has(name: string): boolean {
    if (this.names === undefined) {
      if (name > this.greatest) return false;
      this.names = new Set([...this.children.keys(), ...this.openChildren, ...this.vanished, ...this.saved.names]);
    }
    return this.names.has(name);
  }

  /** Registers `name` as one {@link has} knows; false, doing nothing, when it knows it already. */
  claim(name: string): boolean {
    if (this.has(name)) return false;
    if (this.names === undefined) this.greatest = name;
    else this.names.add(name);
    return true;
  }
}

/** The streaming summary: add classified entries, then `close()` for the {@link SummaryResult}. */
export class BackupSummary {
  private readonly open = new Map<string, OpenDirectory>();
  private readonly seenLinks = new Set<string>();
  private readonly reported: ScannedEntry[] = [];
  private readonly sampleSize: number;
  /** The directory the depth-first walk is in: the last directory entry, or the last entry's parent. */
  private current: string | undefined;
  /** The open directory at `current` (depth-first mode), where nearly every entry goes. */
  private currentDirectory: OpenDirectory | undefined;
  private result: SummaryResult | undefined;

  constructor(private readonly options: BackupSummaryOptions = {}) {
    this.sampleSize = options.sampleSize ?? 5;
    this.open.set('/', new OpenDirectory('/', undefined, this.sampleSize));
  }

  /** Adds one classified entry. Each path is reported once. */
  add(entry: ScannedEntry): void {
    this.assertOpen();
    if (entry.kind !== 'directory' && this.addToCurrent(entry)) return;
    assertAbsolutePath(entry.path);
    if (entry.path === '/' && entry.kind !== 'directory') throw new TypeError('the root must be a directory');
    const parent = parentPath(entry.path);
    if (this.options.completion !== 'explicit') {
      const target = parent ?? '/';
      if (this.current !== undefined && this.current !== target) {
        for (const left of directoriesLeft(this.current, target)) if (this.open.has(left)) this.finalise(left);
      }
      this.current = entry.kind === 'directory' ? entry.path : target;
    }
    if (entry.kind === 'directory') this.addDirectory(entry, parent);
    else this.addLeaf(entry, this.openDirectory(parent!), baseName(entry.path)); // only the root has no parent
    if (isReportedClass(entry.class)) this.reported.push(entry);
    this.currentDirectory = this.current === undefined ? undefined : this.open.get(this.current);
  }

  /**
   * Adds a leaf whose parent is the directory the walk is in, as nearly every entry's is: without
   * slicing the parent out of its path, looking it up, or scanning the whole path again (the
   * parent's path was checked when it came). False, having done nothing, for any other entry.
   */
  private addToCurrent(entry: ScannedEntry): boolean {
    const current = this.current;
    const holder = this.currentDirectory;
    if (current === undefined || holder === undefined || this.options.completion === 'explicit') return false;
    const path = entry.path;
    // `current`, a slash, and a name without one (no lastIndexOf: a call out of optimized code).
    const slash = current === '/' ? 0 : current.length;
    if (path.charCodeAt(slash) !== 47 || path.indexOf('/', slash + 1) !== -1 || !path.startsWith(current)) return false;
    const name = path.slice(slash + 1);
    if (name === '' || name.includes('\0')) return false; // assertAbsolutePath says why
    this.addLeaf(entry, holder, name);
    if (isReportedClass(entry.class)) this.reported.push(entry);
    return true;
  }

  /** Finalises every directory still open and returns the result; the summary takes no more entries. */
  close(): SummaryResult {
    this.assertOpen();
    const root = this.finalise('/');
    this.result = new SummaryResult(root, this.reported);
    return this.result;
  }

  /** Whether the directory at `path` is still open (added, and not finalised yet). */
  protected isOpen(path: string): boolean {
    return this.open.has(path);
  }

  /** The finalised children and kept leaves of each open directory, the root's included. */
  protected openContents(): Array<readonly SummaryNode[]> {
    return [...this.open.values()].map((dir) => [...dir.children.values(), ...dir.saved.nodes()]);
  }

  private addDirectory(entry: ScannedEntry, parent: string | undefined): void {
    const existing = this.open.get(entry.path);
    if (existing !== undefined) {
      if (existing.own !== undefined) throw new Error(`directory ${JSON.stringify(entry.path)} reported twice`);
      existing.own = entry; // its children came first (a parallel walker) or it is the root
      return;
    }
    const holder = this.openDirectory(parent!); // only the root has no parent, and it is always open
    const name = baseName(entry.path);
    if (!holder.claim(name)) throw new Error(`${JSON.stringify(entry.path)} reported twice`);
    holder.openChildren.add(name);
    this.open.set(entry.path, new OpenDirectory(entry.path, entry, this.sampleSize));
  }

  private addLeaf(entry: ScannedEntry, holder: OpenDirectory, name: string): void {
    if (entry.class === 'unmodified') {
      if (holder.has(name)) throw new Error(`${JSON.stringify(entry.path)} reported twice`);
      holder.unmodifiedSample.add(name);
      holder.unmodifiedTotals.addEntry('unmodified', entry.kind, this.isRepeatedLink(entry) ? 0n : entry.size);
      return;
    }
    if (!holder.claim(name)) throw new Error(`${JSON.stringify(entry.path)} reported twice`);
    if (SavedLeaves.accepts(entry)) return holder.saved.add(entry, name);
    const repeatedLink = this.isRepeatedLink(entry);
    holder.children.set(name, entryNode(entry, name, repeatedLink, repeatedLink ? 0n : entry.size));
  }

  /** True when this file's device and inode were counted before; remembers them otherwise. */
  private isRepeatedLink(entry: ScannedEntry): boolean {
    if (entry.identity === undefined || (entry.links !== undefined && entry.links <= 1)) return false;
    const key = `${entry.identity.dev}:${entry.identity.ino}`;
    if (this.seenLinks.has(key)) return true;
    this.seenLinks.add(key);
    return false;
  }

  /** The open directory at `path`, opening unreported ancestors as needed; throws if it was finalised. */
  private openDirectory(path: string): OpenDirectory {
    const found = this.open.get(path);
    if (found !== undefined) return found;
    // Ancestors first, without recursion (the root is always open).
    const missing = [path];
    for (let at = parentPath(path)!; !this.open.has(at); at = parentPath(at)!) missing.push(at);
    for (let i = missing.length - 1; i > 0; i--) this.openOne(missing[i]!);
    return this.openOne(path);
  }

  /** Opens `path`, whose parent is open. */
  private openOne(path: string): OpenDirectory {
    const holder = this.open.get(parentPath(path)!)!;
    const name = baseName(path);
    if (!holder.claim(name)) {
      throw new Error(`an entry below ${JSON.stringify(path)} arrived after it was complete (or it is not a directory)`);
    }
    holder.openChildren.add(name);
    const dir = new OpenDirectory(path, undefined, this.sampleSize);
    this.open.set(path, dir);
    return dir;
  }

  /** Finalises the open directory at `path` after everything still open below it, deepest first. */
  protected finalise(path: string): SummaryNode | undefined {
    // An explicit stack, not recursion: a tree 10,000 folders deep stays off the call stack.
    // Reversed, this pre-order puts every directory after everything below it.
    const order: string[] = [];
    for (const pending = [path]; pending.length > 0; ) {
      const at = pending.pop()!;
      order.push(at);
      for (const name of this.open.get(at)!.openChildren) pending.push(childPath(at, name));
    }
    let node: SummaryNode | undefined;
    for (let i = order.length - 1; i >= 0; i--) node = this.finaliseOne(order[i]!);
    return node;
  }

  /** Finalises one open directory whose open children are all finalised. */
  private finaliseOne(path: string): SummaryNode | undefined {
    const dir = this.open.get(path)!;
    this.open.delete(path);
    const node = collapseDirectory(
      {
        path,
        name: baseName(path),
        own: dir.own,
        children: [...dir.children.values()],
        unmodified: { sample: dir.unmodifiedSample.freeze(), totals: dir.unmodifiedTotals.freeze() },
        saved: dir.saved,
      },
      this.sampleSize,
      this.options.foldsOver,
    );
    const parent = parentPath(path);
    if (parent !== undefined) {
      const holder = this.open.get(parent)!; // a parent is finalised only after its open children
      const name = baseName(path);
      holder.openChildren.delete(name);
      if (node === undefined) {
        holder.vanished.add(name);
        holder.unmodifiedSample.add(name);
        holder.unmodifiedTotals.addEntry('unmodified', 'directory', 0n);
      } else {
        holder.children.set(name, node);
      }
    }
    this.options.onDirectoryComplete?.(path, node);
    return node;
  }

  /** Throws once the summary is closed. */
  protected assertOpen(): void {
    if (this.result !== undefined) throw new Error('the summary is closed');
  }
}
