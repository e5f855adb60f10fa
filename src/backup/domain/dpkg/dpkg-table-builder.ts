/**
 * The whole dpkg database straight from its files' bytes into the compact owned-file table:
 * the same records as `dpkgOwnedFiles` over `parseDpkgList` and `parseMd5sums`, without a string
 * or an object per path. Loading 145,000 paths that way took 0.39 s, most of it making and
 * collecting strings; here a path is a byte range, hashed once (FNV-1a, the table's own hash), its
 * folder found by that hash and its name copied into the table. The rare paths that need more
 * (conffiles, diverted paths, a path without a slash) take the string route, one record each.
 */
import { HASH_START, hashBytes, hashText } from '#backup/domain/owned-files/byte-store.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import type { Diversion } from './diversions.js';
import { Md5sumsIndex } from './md5sums-index.js';
import { DPKG_MODES, dpkgKind, dpkgListedRecord, dpkgTests, type DpkgVerifyMode } from './owned-records.js';
import type { Conffile } from './status-file.js';

/** An installed package, as the builder needs it. */
export interface ListedPackage {
  /** The package as `dpkg -S` prints it (`name` or `name:arch`). */
  readonly owner: string;
  /** The bare package name, as the diversions file names the diverting package. */
  readonly name: string;
  /** Its configuration files, with the digests they had when installed. */
  readonly conffiles: readonly Conffile[];
}

const NEWLINE = 10;
const SLASH = 47;
const DOT = 46;
const NONE = -1;
const UNKNOWN = -2;

/** Fills an `OwnedFileTable` one package at a time, in the order packages are added. */
export class DpkgTableBuilder {
  /** The table being filled: complete once every package is added. */
  readonly table = new OwnedFileTable();
  private readonly md5 = new Md5sumsIndex();
  private readonly byFrom: ReadonlyMap<string, Diversion>;
  private readonly divertedHashes: ReadonlySet<number>;
  private readonly rootText: number;
  /** Per folder id: the last package number that has a path under it, and its parent folder. */
  private stamp = new Int32Array(1024);
  private parent = new Int32Array(1024).fill(UNKNOWN);
  private packageNo = 0;
  /** Per line of the current list: path start, end, last slash, hashText, folder id. */
  private start = new Int32Array(1024);
  private end = new Int32Array(1024);
  private slash = new Int32Array(1024);
  private hash = new Int32Array(1024);
  private folder = new Int32Array(1024);
  private readonly line = new Int32Array(3);

  constructor(
    diversions: readonly Diversion[],
    private readonly verify: DpkgVerifyMode = 'content',
  ) {
    this.byFrom = new Map(diversions.map((d) => [d.from, d]));
    this.divertedHashes = new Set(diversions.map((d) => hashText(d.from, 0)));
    this.rootText = this.table.textId('root');
  }

  /** Adds `pkg`'s records: `list[0..listEnd)` is its `.list`, `md5sums[0..md5End)` its `.md5sums`. */
  add(pkg: ListedPackage, list: Buffer, listEnd: number, md5sums: Buffer, md5End: number): void {
    this.packageNo++;
    this.md5.load(md5sums, md5End);
    const lines = this.scan(list, listEnd);
    this.table.reserve(lines);
    const pkgText = this.table.textId(pkg.owner);
    const odd = new Set([...this.divertedHashes, ...pkg.conffiles.map((c) => hashText(c.path, 0))]);
    for (let k = 0; k < lines; k++) {
      const s = this.start[k]!;
      const e = this.end[k]!;
      const h = this.hash[k]!;
      const hexAt = this.md5.find(list, s, e, h);
      const kind = dpkgKind(this.isDirectory(list, s, e, h), hexAt >= 0);
      if (this.slash[k]! < 0 || odd.has(h)) this.addOdd(pkg, list, s, e, kind === 'directory', hexAt);
      else {
        const digest = this.verify === 'content' && kind === 'file';
        const name = this.slash[k]! + 1;
        this.table.addListed(this.folder[k]!, list, name, e, DPKG_MODES[kind], dpkgTests(kind, this.verify), digest ? this.md5.bytes : undefined, hexAt, pkgText, this.rootText);
      }
    }
  }

  /** A record that takes the string route: conffile, diverted, or a path without a folder. */
  private addOdd(pkg: ListedPackage, list: Buffer, s: number, e: number, directory: boolean, hexAt: number): void {
    const hex = hexAt >= 0 ? latin1(this.md5.bytes, hexAt, hexAt + 32) : undefined;
    this.table.add(dpkgListedRecord(pkg, latin1(list, s, e), directory, hex, this.byFrom, this.verify));
  }

  /**
   * Splits the list into its paths (blank lines skipped, `/.` read as `/`), hashing each and
   * marking its folders as this package's; returns how many paths.
   */
  private scan(list: Buffer, listEnd: number): number {
    let k = 0;
    const line = this.line;
    for (let s = 0; s < listEnd; ) {
      const i = scanLine(list, s, listEnd, line);
      if (i > s) {
        if (k === this.start.length) this.grow();
        let e = i;
        let h = line[HASH]!;
        if (e - s === 2 && list[s] === SLASH && list[s + 1] === DOT) {
          e = s + 1;
          h = hashBytes(HASH_START, SLASH);
        }
        const slash = line[LAST_SLASH]!;
        this.start[k] = s;
        this.end[k] = e;
        this.slash[k] = slash;
        this.hash[k] = h;
        const folder = slash < 0 ? NONE : this.folderOf(list, s, slash, line[FOLDER_HASH]!, k);
        this.folder[k] = folder;
        // Every parent of a listed path is a directory; `/` is one of every path but itself.
        if (e - s !== 1 || list[s] !== SLASH) {
          this.mark(folder);
          if (list[s] !== SLASH) this.mark(this.table.folderIdOf(list, s, s, HASH_START));
        }
        k++;
      }
      s = i + 1;
    }
    return k;
  }

  /** The folder id of line `k`, `list[s..slash)`: the previous line's when it has the same bytes, as it mostly does. */
  private folderOf(list: Buffer, s: number, slash: number, hash: number, k: number): number {
    if (k > 0 && this.slash[k - 1]! - this.start[k - 1]! === slash - s && this.folder[k - 1]! >= 0) {
      const p = this.start[k - 1]!;
      let same = true;
      for (let i = slash - s - 1; same && i >= 0; i--) same = list[p + i] === list[s + i];
      if (same) return this.folder[k - 1]!;
    }
    return this.table.folderIdOf(list, s, slash, hash);
  }

  /** Whether `list[s..e)` is the folder of another path of this package (`/` is the folder ''). */
  private isDirectory(list: Buffer, s: number, e: number, h: number): boolean {
    const root = e - s === 1 && list[s] === SLASH;
    const id = root ? this.table.folderIdOf(list, s, s, HASH_START, false) : this.table.folderIdOf(list, s, e, h, false);
    return id >= 0 && id < this.stamp.length && this.stamp[id] === this.packageNo;
  }

  /** Marks folder `id` and its parents as holding a path of this package. */
  private mark(id: number): void {
    for (let f = id; f >= 0; f = this.parentOf(f)) {
      if (f >= this.stamp.length) this.growFolders(f);
      if (this.stamp[f] === this.packageNo) return;
      this.stamp[f] = this.packageNo;
    }
  }

  private parentOf(id: number): number {
    if (id >= this.parent.length) this.growFolders(id);
    let p = this.parent[id]!;
    if (p === UNKNOWN) {
      p = this.table.parentFolderId(id);
      this.parent[id] = p;
    }
    return p;
  }

  private growFolders(id: number): void {
    const length = Math.max(id + 1, this.stamp.length * 2);
    const stamp = new Int32Array(length);
    stamp.set(this.stamp);
    this.stamp = stamp;
    const parent = new Int32Array(length).fill(UNKNOWN);
    parent.set(this.parent);
    this.parent = parent;
  }

  /** Twice the room for the current list's lines. */
  private grow(): void {
    const more = (column: Int32Array) => {
      const next = new Int32Array(column.length * 2);
      next.set(column);
      return next;
    };
    this.start = more(this.start);
    this.end = more(this.end);
    this.slash = more(this.slash);
    this.hash = more(this.hash);
    this.folder = more(this.folder);
  }
}

/** Where `scanLine` leaves the line's hash, last slash and the hash of the bytes before it. */
const HASH = 0;
const LAST_SLASH = 1;
const FOLDER_HASH = 2;

/** Hashes the line at `list[s]` up to its newline or `end`, which it returns; the figures go in `out`. Small, so compiled early. */
function scanLine(list: Buffer, s: number, end: number, out: Int32Array): number {
  let h = HASH_START;
  let slash = NONE;
  let folderHash = 0;
  let i = s;
  for (; i < end; i++) {
    const b = list[i]!;
    if (b === NEWLINE) break;
    if (b === SLASH) {
      slash = i;
      folderHash = h;
    }
    h = hashBytes(h, b);
  }
  out[HASH] = h;
  out[LAST_SLASH] = slash;
  out[FOLDER_HASH] = folderHash;
  return i;
}

function latin1(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}
