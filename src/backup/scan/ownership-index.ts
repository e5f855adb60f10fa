import { errorCode, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile, PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';
import { hashRange, hashText } from '#backup/domain/owned-files/byte-store.js';
import { NO_FOLDER, OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';

const NO_OWNERS: readonly OwnedFile[] = Object.freeze([]);
const NONE = -1;
/** What `claimId` returns when no package owns the path. */
export const NO_OWNER = NONE;
/** What `claimId` returns when several records own the path (or it is spelled oddly). */
export const SEVERAL = -2;
/** Folders whose paths the fast lookup can key: absolute, no empty, `.` or `..` component. */
const CANONICAL_FOLDER = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)*$/;

function mix(folder: number, nameHash: number): number {
  return (nameHash ^ Math.imul(folder + 1, 0x9e3779b1)) >>> 0;
}

/**
 * Who owns which path, keyed by where the path really is in the scanned tree: the database says
 * `/lib/x`, the walk finds `/usr/lib/x` when `/lib` is a symlink (rpm -qf resolves it the same way).
 * The records stay in the compact table; the index adds an open-addressing hash over (resolved
 * folder, name) and a chain of record ids per path, a dozen bytes per record. Paths it cannot key
 * that way (`/`, odd spellings) go in a small map by their resolved path.
 */
export class OwnershipIndex {
  /** A database path as the walk finds it: directory symlinks resolved in the scanned tree. */
  readonly resolve: (path: string) => string;
  private readonly table: OwnedFileTable;
  /** Resolved folder id of each of the table's folders (NONE: not keyable). */
  private readonly folderAt: Int32Array;
  /** 1 for a table folder its resolution leaves as it is: a path found in it is the record's own path. */
  private readonly unmoved: Uint8Array;
  private readonly resolvedIds = new Map<string, number>();
  private readonly resolvedNames: string[] = [];
  private readonly slots: Int32Array;
  private readonly next: Int32Array;
  private readonly odd = new Map<string, number[]>();
  /** Records whose path the walk found (`claim`). */
  private readonly found: Uint8Array;
  /**
   * The folders of recent lookups and their resolved ids, by length: walking depth first, a path's
   * folder is the last one looked up at its length, so most lookups build no string.
   */
  private readonly recentFolders = new Map<number, { readonly folder: string; readonly id: number }>();

  constructor(database: PackageDatabase | undefined, fs: FileSystemPort) {
    /** Answers asked ahead, in one call, of the folders' paths as spelt (see `resolveFolders`). */
    const asked = new Map<string, string | undefined>();
    this.resolve = createPathResolver((path) => {
      if (asked.has(path)) return asked.get(path);
      try {
        return fs.lstat(path).type === 'symlink' ? fs.readlink(path) : undefined;
      } catch (error) {
        void errorCode(error); // missing or unreadable: rpm cannot resolve it either
        return undefined;
      }
    });
    this.table = OwnedFileTable.from(database?.files ?? []);
    this.table.trim();
    const n = this.table.length;
    this.folderAt = this.resolveFolders(fs, asked);
    asked.clear(); // the resolver remembers what it resolved
    this.unmoved = Uint8Array.from(this.table.folderNames, (name, id) => (this.folderAt[id] !== NONE && this.resolvedNames[this.folderAt[id]!] === name ? 1 : 0));
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(n * 2 + 2))).fill(NONE);
    this.next = new Int32Array(n).fill(NONE);
    this.found = new Uint8Array(n);
    this.insertAll();
  }

  /**
   * The resolved id of every folder of the table. Where the file system can (`linkTargets`), what
   * the resolver will ask is asked ahead in one call, into `asked`: each folder's own path as spelt,
   * and its folders', which are the paths the resolver probes unless a symlink above moved them
   * (measured on the 100k rpm fixture's 732 folders: ~5 ms of node's lstat for ~1 ms through the
   * addon). A folder with no symlink anywhere on its path resolves to itself, as the resolver would
   * find probing the same paths: it is not asked to (on Debian's 11,949 dpkg folders it took ~45 ms).
   */
  private resolveFolders(fs: FileSystemPort, asked: Map<string, string | undefined>): Int32Array {
    const names = this.table.folderNames;
    const canonical = new Set<string>();
    for (const folder of names) {
      if (!CANONICAL_FOLDER.test(folder)) continue;
      for (let up = folder; up !== '' && !canonical.has(up); up = up.slice(0, up.lastIndexOf('/'))) canonical.add(up);
    }
    const paths = [...canonical];
    const targets = fs.linkTargets?.(paths);
    targets?.forEach((target, k) => asked.set(paths[k]!, target));
    const plain = new Map<string, boolean>([['', targets !== undefined]]);
    /** Whether `folder` and each folder above it were asked, and none is a symlink. */
    const isPlain = (folder: string): boolean => {
      let known = plain.get(folder);
      if (known === undefined) {
        known = asked.has(folder) && asked.get(folder) === undefined && isPlain(folder.slice(0, folder.lastIndexOf('/')));
        plain.set(folder, known);
      }
      return known;
    };
    const at = new Int32Array(names.length).fill(NONE);
    names.forEach((folder, id) => {
      if (!CANONICAL_FOLDER.test(folder)) return;
      const resolved = isPlain(folder) ? `${folder}/_` : this.resolve(`${folder}/_`);
      at[id] = this.resolvedId(resolved.slice(0, resolved.lastIndexOf('/')), true);
    });
    return at;
  }

  private resolvedId(folder: string, add: boolean): number {
    let id = this.resolvedIds.get(folder);
    if (id === undefined && add) {
      id = this.resolvedNames.push(folder) - 1;
      this.resolvedIds.set(folder, id);
    }
    return id ?? NONE;
  }

  /** The resolved folder of record `i` when the hash can key it, else NONE. */
  private keyFolder(i: number): number {
    const folder = this.table.folderOf(i);
    if (folder === NO_FOLDER || this.folderAt[folder] === NONE) return NONE;
    return this.table.plainName(i) ? this.folderAt[folder]! : NONE;
  }

  /**
   * Puts every record in the hash (or the odd map), backwards: each goes in front of its chain, so
   * every chain lists its records in database order. One loop straight over the columns, with one
   * call per keyable record (the name's hash, the same as `hashText`'s at lookup): it runs once,
   * mostly before V8 has optimised it (measured on 72,732 records: 17 ms through a call per record
   * and field, 6.6 ms so; the cold index build with the hash called rather than written out again,
   * alternating, min 12.4 -> 12.7 ms, median 18.2 -> 19.7 ms of 16, within noise).
   */
  private insertAll(): void {
    const { folder: folderOf, nameAt, nameLength } = this.table.columns;
    const names = this.table.nameBytes;
    const { folderAt, slots, next } = this;
    const mask = slots.length - 1;
    for (let i = this.table.length - 1; i >= 0; i--) {
      const tableFolder = folderOf[i]!;
      const folder = tableFolder === NO_FOLDER ? NONE : folderAt[tableFolder]!;
      const at = nameAt[i]!;
      const length = nameLength[i]!;
      // Not keyable: no folder the hash can key, or a name that is empty, `.` or `..` (ByteStore.plain).
      if (folder === NONE || length === 0 || (length <= 2 && names[at] === 46 && (length === 1 || names[at + 1] === 46))) {
        this.insertOdd(i);
        continue;
      }
      for (let s = mix(folder, hashRange(names, at, at + length)) & mask; ; s = (s + 1) & mask) {
        const head = slots[s]!;
        if (head === NONE) {
          slots[s] = i;
          break;
        }
        // A record in the hash is keyable: its key folder is its folder's resolved id.
        if (folderAt[folderOf[head]!] === folder && nameLength[head] === length) {
          const other = nameAt[head]!;
          let k = 0;
          while (k < length && names[other + k] === names[at + k]) k++;
          if (k === length) {
            next[i] = head;
            slots[s] = i;
            break;
          }
        }
      }
    }
  }

  /** Puts record `i`, which the hash cannot key, in front of the records of its resolved path. */
  private insertOdd(i: number): void {
    const path = this.resolve(this.table.pathOf(i));
    this.odd.set(path, [i, ...(this.odd.get(path) ?? [])]);
  }

  /** The first record of the chain for `path`, or NONE. */
  private head(path: string): number {
    const slash = path.lastIndexOf('/');
    const folder = this.folderId(path, slash);
    if (folder === NONE) return NONE;
    const mask = this.slots.length - 1;
    for (let s = mix(folder, hashText(path, slash + 1)) & mask; ; s = (s + 1) & mask) {
      const head = this.slots[s]!;
      if (head === NONE) return NONE;
      if (this.folderAt[this.table.folderOf(head)] === folder && this.table.nameEquals(head, path, slash + 1)) return head;
    }
  }

  /** The resolved id of `path`'s folder (before `slash`), or NONE; no string is built when that folder was the last one of its length. */
  private folderId(path: string, slash: number): number {
    const recent = this.recentFolders.get(slash);
    if (recent !== undefined && path.startsWith(recent.folder)) return recent.id;
    const folder = path.slice(0, slash);
    const id = this.resolvedId(folder, false);
    this.recentFolders.set(slash, { folder, id });
    return id;
  }

  private ids(path: string): number[] {
    if (this.next.length === 0) return []; // no database: every path is new, at no cost per path
    const ids: number[] = [];
    for (let i = this.head(path); i !== NONE; i = this.next[i]!) ids.push(i);
    const odd = this.odd.size ? this.odd.get(path) : undefined;
    return odd ? [...ids, ...odd].sort((a, b) => a - b) : ids;
  }

  /** The records of every package that owns a path (empty: none). */
  owners(path: string): readonly OwnedFile[] {
    const ids = this.ids(path);
    return ids.length ? ids.map((i) => this.table.at(i)) : NO_OWNERS;
  }

  /**
   * `claim` for the common cases, building no record: NO_OWNER, or the id of the only record
   * that owns `path` (claimed; see `record`), or SEVERAL owners (nothing claimed: call `claim`).
   */
  claimId(path: string): number {
    if (this.next.length === 0) return NO_OWNER;
    if (this.odd.size !== 0 && this.odd.has(path)) return SEVERAL;
    const head = this.head(path);
    if (head === NONE) return NO_OWNER;
    if (this.next[head] !== NONE) return SEVERAL;
    this.found[head] = 1;
    return head;
  }

  /** Record `i`, found by `claimId(path)`, as an object. */
  record(i: number, path: string): OwnedFile {
    return this.table.at(i, this.unmoved[this.table.folderOf(i)] ? path : undefined);
  }

  /** The records `claimId` returns ids of, in their compact form. */
  get records(): OwnedFileTable {
    return this.table;
  }

  /** Like `owners`, and remembers that the walk found the path (see `unclaimed`). */
  claim(path: string): readonly OwnedFile[] {
    const id = this.claimId(path);
    if (id === NO_OWNER) return NO_OWNERS;
    if (id !== SEVERAL) return [this.record(id, path)];
    const ids = this.ids(path); // several owners, or an odd spelling: never none here
    for (const i of ids) this.found[i] = 1;
    return ids.map((i) => this.table.at(i));
  }

  /**
   * Every owned path the walk did not claim, once, with all its records in database order, as the
   * walk would find it: a path both keyed and spelt oddly by another record (`/café` and `café`)
   * comes with the records of both. The records not found are sought with `indexOf` (a builtin's
   * loop, not one of JavaScript run once, cold, over every slot of the hash: ~5 ms on 72,732
   * records); a chain is yielded at its head, its first record.
   */
  *unclaimed(): Generator<[string, OwnedFile[]]> {
    const { found, next } = this;
    for (let head = found.indexOf(0); head !== NONE; head = found.indexOf(0, head + 1)) {
      const folder = this.keyFolder(head);
      if (folder === NONE) continue; // in the odd map, below
      const path = `${this.resolvedNames[folder]!}/${this.table.nameOf(head)}`;
      if (this.head(path) !== head) continue; // a later record of a chain: its head stands for it
      const ids: number[] = [];
      for (let i = head; i !== NONE; i = next[i]!) ids.push(i);
      const odd = this.odd.size !== 0 ? this.odd.get(path) : undefined;
      yield [path, (odd ? [...ids, ...odd].sort((a, b) => a - b) : ids).map((i) => this.table.at(i))];
    }
    for (const [path, ids] of this.odd) if (!found[ids[0]!] && this.head(path) === NONE) yield [path, ids.map((i) => this.table.at(i))];
  }
}
