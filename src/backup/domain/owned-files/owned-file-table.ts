/**
 * A package database's records held compactly: numbers in typed arrays, names as bytes in one
 * buffer, digests as bytes in another, repeated text (folders, packages, owners) once. A record is
 * built as an `OwnedFile` object only when asked for (`at`), so a loaded database costs about a
 * hundred bytes per owned path instead of more than a kilobyte of objects and strings.
 * @module
 */
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { OwnedFile, OwnedFiles } from '#backup/domain/ports/package-database.port.js';
import { ByteStore, hashRange, ownCopy, StringTable } from './byte-store.js';
import type { ByteRecord } from './byte-record.js';
import { FolderTable } from './folder-table.js';
import { ALGOS, exact, flagBits, FLAGS, HEX, MAX_DIGEST, MD5, packBits, STATES } from './record-bits.js';
import { LastText } from './last-text.js';
import { Columns } from './columns.js';
import type { AdoptedParts, OddFields as Odd, TableParts } from './adopted-parts.js';

const WIDE = /[^\x00-\xff]/;
/** A record whose path has no slash (never from a real database): its folder id. */
export const NO_FOLDER = 0xffffffff;

/** Owned-file records, appended once (`add`) and read by index (`at`) or in order. */
export class OwnedFileTable implements OwnedFiles {
  private c = new Columns();
  private names = new ByteStore();
  private digests = new ByteStore();
  private readonly folders = new FolderTable();
  private readonly texts = new StringTable();
  private readonly odd = new Map<number, Odd>();
  // A folder found straight from its bytes (no string unless new); an owner by its text.
  private readonly lastFolder = new LastText((b, s, e) => this.folders.idOfBytes(b, s, e, hashRange(b, s, e), true), this.folders.values);
  private readonly lastUser = new LastText((b, s, e) => this.texts.id(b.toString('latin1', s, e)), this.texts.values);
  private readonly lastGroup = new LastText((b, s, e) => this.texts.id(b.toString('latin1', s, e)), this.texts.values);

  /** A table holding `records`, in their order. */
  static from(records: Iterable<OwnedFile>): OwnedFileTable {
    if (records instanceof OwnedFileTable) return records;
    const table = new OwnedFileTable();
    for (const r of records) table.add(r);
    return table;
  }

  /** A table holding records made elsewhere (a native loader, a snapshot), parts taken as they are (see `AdoptedParts`); without `texts` they start empty: the caller adds them in id order (`textId`). */
  static adopt(parts: AdoptedParts | TableParts): OwnedFileTable {
    const table = new OwnedFileTable();
    const full = 'texts' in parts ? parts : undefined;
    table.c = Columns.of(parts.columns, full?.wide);
    table.names = ByteStore.of(parts.names, parts.namesUsed);
    table.digests = ByteStore.of(parts.digests, parts.digestsUsed);
    table.folders.adopt(parts.folders, parts.folderHashes);
    full?.texts.forEach((text, id) => {
      if (table.texts.id(text) !== id) throw new Error('OwnedFileTable.adopt: texts repeat');
    });
    full?.odd.forEach((odd, row) => table.odd.set(row, odd));
    return table;
  }

  /** Its parts as they are (not copied, valid until the next change), for a snapshot; `adopt` takes them back. */
  parts(): TableParts {
    const { c, names, digests } = this;
    return {
      ...{ columns: c, wide: c.wideColumns, texts: this.texts.values, odd: this.odd, folders: this.folders.values, folderHashes: this.folders.hashArray },
      ...{ names: names.buffer, namesUsed: names.usedLength, digests: digests.buffer, digestsUsed: digests.usedLength },
    };
  }

  /** How many records it holds. */
  get length(): number {
    return this.c.length;
  }

  /** Every distinct folder of a record's path, by folder id (`''` is the top folder). */
  get folderNames(): readonly string[] {
    return this.folders.values;
  }

  /** Appends one record; the table keeps no reference to it. */
  add(r: OwnedFile): void {
    this.put(this.c.grow(), r);
  }

  /** Sets row `i` (an adopted one left blank) to the record `r`, as `add` would. */
  put(i: number, r: OwnedFile): void {
    const c = this.c;
    const odd: Odd = {};
    this.addPath(i, r.path, odd);
    this.addDigest(i, r.digest, odd);
    const size = exact(r.size);
    const mtime = exact(r.mtime);
    if (size === undefined) odd.size = r.size;
    if (mtime === undefined) odd.mtime = r.mtime;
    c.setNumber('size', i, size ?? 0);
    c.setNumber('mtime', i, mtime ?? 0);
    c.setNumber('rdev', i, r.rdev);
    if (r.mode >>> 0 === r.mode && r.verifyFlags >>> 0 === r.verifyFlags) {
      c.mode[i] = r.mode;
      c.verify[i] = r.verifyFlags;
    } else Object.assign(odd, { mode: r.mode, verifyFlags: r.verifyFlags });
    c.bits[i] = packBits(flagBits(r.flags), r.state, r.digestAlgo);
    c.pkg[i] = this.texts.id(r.package);
    c.user[i] = this.texts.id(r.user);
    c.group[i] = this.texts.id(r.group);
    if (r.linkTarget !== '') odd.linkTarget = ownCopy(r.linkTarget);
    if (Object.keys(odd).length) this.odd.set(i, odd);
  }

  /** Makes room at once for `rows` more records, and for `nameBytes` and `digestBytes` more of their names and digests. */
  reserve(rows: number, nameBytes = 0, digestBytes = 0): void {
    this.c.reserve(rows);
    this.names.reserve(nameBytes);
    this.digests.reserve(digestBytes);
  }

  /** The id of a text (package, user, group) for `addListed`, or a package's for `ByteRecord.pkg`. */
  textId(text: string): number {
    return this.texts.id(text);
  }

  /** Appends one record read from bytes, as `add` would; false (adding nothing) when its digest is not hex, which `add` keeps as text. Its link target must be a string of its own. */
  addBytes(r: ByteRecord): boolean {
    const b = r.bytes;
    if (r.digestEnd - r.digestStart > 2 * MAX_DIGEST) return false;
    const digestAt = r.digestEnd > r.digestStart ? this.digests.appendHex(b, r.digestStart, r.digestEnd) : 0;
    if (digestAt < 0) return false;
    const i = this.c.grow();
    const c = this.c;
    c.digestAt[i] = digestAt;
    c.digestLength[i] = (r.digestEnd - r.digestStart) >> 1;
    c.folder[i] = this.lastFolder.idOf(b, r.pathStart, r.slash);
    c.nameAt[i] = this.names.appendBytes(b, r.slash + 1, r.pathEnd);
    c.nameLength[i] = r.pathEnd - r.slash - 1;
    c.setNumber('size', i, r.size);
    c.setNumber('mtime', i, r.mtime);
    c.setNumber('rdev', i, r.rdev);
    c.mode[i] = r.mode;
    c.verify[i] = r.verify;
    c.bits[i] = packBits(r.flags, r.state, r.algo);
    c.pkg[i] = r.pkg;
    c.user[i] = this.lastUser.idOf(b, r.userStart, r.userEnd);
    c.group[i] = this.lastGroup.idOf(b, r.groupStart, r.groupEnd);
    if (r.linkTarget !== '') this.odd.set(i, { linkTarget: r.linkTarget });
    return true;
  }

  /** The id of the folder that holds folder `id`, added when new; -1 when its name has no slash. */
  parentFolderId(id: number): number {
    const text = this.folders.values[id]!;
    const cut = text.lastIndexOf('/');
    // A slice of a folder the table keeps anyway: no copy of its own needed.
    return cut < 0 ? -1 : this.folders.id(text.slice(0, cut), true);
  }

  /** The folder id of `bytes[start..end)`, whose `hashText` is `hash`; added when new unless `add` is false (then -1). */
  folderIdOf(bytes: Buffer, start: number, end: number, hash: number, add = true): number {
    return this.folders.idOfBytes(bytes, start, end, hash, add);
  }

  /** Appends a record from a file's bytes, as `add` would keep it: folder `folder`, name `bytes[nameStart..nameEnd)`, digest the 32 hex digits at `hex[hexAt]` (checked by the caller; none without `hex`, else md5); size, mtime, rdev 0, no link target, not config, state normal, package text id `pkg`, user and group text id `root`. */
  addListed(folder: number, bytes: Buffer, nameStart: number, nameEnd: number, mode: number, verify: number, hex: Uint8Array | undefined, hexAt: number, pkg: number, root: number): void {
    const i = this.c.grow();
    const c = this.c;
    c.folder[i] = folder;
    c.nameAt[i] = this.names.appendBytes(bytes, nameStart, nameEnd);
    c.nameLength[i] = nameEnd - nameStart;
    c.digestAt[i] = hex ? this.digests.appendHex(hex, hexAt, hexAt + 32) : 0;
    c.digestLength[i] = hex ? 16 : 0;
    c.mode[i] = mode;
    c.verify[i] = verify;
    c.bits[i] = hex ? MD5 << 8 : 0;
    c.pkg[i] = pkg;
    c.user[i] = root;
    c.group[i] = root;
  }

  private addPath(i: number, path: string, odd: Odd): void {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (slash < 0 || WIDE.test(name)) {
      this.c.folder[i] = NO_FOLDER;
      odd.path = ownCopy(path);
      return;
    }
    this.c.folder[i] = this.folders.id(path.slice(0, slash));
    this.c.nameAt[i] = this.names.append(name, 'latin1');
    this.c.nameLength[i] = name.length;
  }

  private addDigest(i: number, digest: string, odd: Odd): void {
    const hex = HEX.test(digest) && digest.length <= 2 * MAX_DIGEST;
    if (!hex) odd.digest = ownCopy(digest);
    const bytes = hex ? digest.length / 2 : 0;
    this.c.digestAt[i] = bytes ? this.digests.append(digest, 'hex') : 0;
    this.c.digestLength[i] = bytes;
  }

  /** The folder id of record `i` (NO_FOLDER when its path has none). */
  folderOf(i: number): number {
    return this.c.folder[i]!;
  }

  /** The last component of record `i`'s path. */
  nameOf(i: number): string {
    return this.names.text(this.c.nameAt[i]!, this.c.nameLength[i]!, 'latin1');
  }

  /** Whether record `i`'s name equals `text` (a byte string), without building a string. */
  nameEquals(i: number, text: string, from: number): boolean {
    return this.names.equals(this.c.nameAt[i]!, this.c.nameLength[i]!, text, from);
  }

  /** Whether record `i`'s name is a plain one: not empty, `.` or `..`. */
  plainName(i: number): boolean {
    return this.names.plain(this.c.nameAt[i]!, this.c.nameLength[i]!);
  }

  /** Record `i`'s path. */
  pathOf(i: number): string {
    const folder = this.c.folder[i]!;
    return folder === NO_FOLDER ? this.odd.get(i)!.path! : `${this.folders.values[folder]!}/${this.nameOf(i)}`;
  }

  /** The numeric columns, for a check that builds no record; a record with `hasOdd` has fields beside them. */
  get columns(): Columns {
    return this.c;
  }

  /** Whether record `i` keeps a field beside the columns (a number they cannot hold exactly, a text digest, a link target, a path without a folder). */
  hasOdd(i: number): boolean {
    return this.odd.size !== 0 && this.odd.has(i);
  }

  /** The text of id `id` in the table of packages, users and groups (`columns.pkg`, `user`, `group`). */
  text(id: number): string {
    return this.texts.values[id]!;
  }

  /** Record `i`'s digest algorithm. */
  algoOf(i: number): DigestAlgo | undefined {
    return ALGOS[this.c.bits[i]! >> 8];
  }

  /** Every record's digest bytes: record `i`'s are `columns.digestLength[i]` from `columns.digestAt[i]` (until the next add). */
  get digestBytes(): Buffer {
    return this.digests.buffer;
  }

  /** Every record's name bytes: record `i`'s are `columns.nameLength[i]` from `columns.nameAt[i]` (until the next add). */
  get nameBytes(): Buffer {
    return this.names.buffer;
  }

  /** Record `i`'s digest in lower-case hex, as the columns hold it ('' when none). */
  digestHex(i: number): string {
    return this.digests.text(this.c.digestAt[i]!, this.c.digestLength[i]!, 'hex');
  }

  /** Record `i` as an object (a new one at each call); `path`, when given, must be its path (a caller that just matched it saves building it again). */
  at(i: number, path?: string): OwnedFile {
    const c = this.c;
    const bits = c.bits[i]!;
    const record: OwnedFile = {
      path: path ?? this.pathOf(i),
      package: this.text(c.pkg[i]!),
      size: BigInt(c.number('size', i)),
      mode: c.mode[i]!,
      digest: this.digestHex(i),
      digestAlgo: ALGOS[bits >> 8],
      mtime: BigInt(c.number('mtime', i)),
      linkTarget: '',
      user: this.text(c.user[i]!),
      group: this.text(c.group[i]!),
      rdev: c.number('rdev', i),
      flags: FLAGS[bits & 15]!,
      verifyFlags: c.verify[i]!,
      state: STATES[(bits >> 4) & 15]!,
    };
    const odd = this.odd.get(i);
    return odd ? { ...record, ...odd } : record;
  }

  /** Every record in order, each built on demand. */
  *[Symbol.iterator](): Iterator<OwnedFile> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /** Bytes held, for the bench's bytes per owned path. */
  get byteLength(): number {
    return this.c.byteLength + this.names.byteLength + this.digests.byteLength;
  }

  /** Gives back the room kept for growth; call when no more records come. */
  trim(): void {
    this.c.trim();
    this.names.trim();
    this.digests.trim();
  }
}
