import { ByteStore, hashText } from '#backup/domain/owned-files/byte-store.js';

const NONE = -1;

function grown<T extends Uint32Array | Uint8Array>(column: T, length: number): T {
  const next = new (column.constructor as new (n: number) => T)(length);
  next.set(column);
  return next;
}

/** The smallest power of two holding `n` entries at most half full (at least 2048 slots). */
function slotsFor(n: number): number {
  return Math.max(2048, 2 ** Math.ceil(Math.log2(n * 2 + 1)));
}

/**
 * The digest cache's entries held compactly: an open-addressing hash over the keys, and one byte
 * per entry saying whether this scan used it (only those are written back). Entries read from the
 * cache file stay where they are in the file's bytes (`adopt`, `addLoaded`: no copy, no string per
 * line); digests computed by this scan are appended to a store of their own. A Map of strings cost
 * about 300 bytes per cached file, twice.
 */
export class DigestTable {
  /** The cache file's bytes, where the first `loaded` entries' keys and digests are. */
  private file: Buffer = Buffer.alloc(0);
  private loaded = 0;
  private readonly store = new ByteStore();
  private keyAt = new Uint32Array(1024);
  private keyLength = new Uint32Array(1024);
  private hexAt = new Uint32Array(1024);
  private hexLength = new Uint32Array(1024);
  private hashes = new Uint32Array(1024);
  private usedFlags = new Uint8Array(1024);
  private slots = new Int32Array(2048).fill(NONE);
  /** Entries held. */
  size = 0;
  /** Entries this scan used or added. */
  used = 0;

  /** Takes a cache file's bytes, before any entry is added; `lines` sizes the table for them. */
  adopt(file: Buffer, lines: number): void {
    if (this.size) throw new Error('DigestTable.adopt: the table is not empty');
    this.file = file;
    if (lines > this.keyAt.length) this.resize(lines);
    if (slotsFor(lines) > this.slots.length) this.slots = new Int32Array(slotsFor(lines)).fill(NONE);
  }

  private keyEquals(i: number, key: string): boolean {
    const length = this.keyLength[i]!;
    if (length !== key.length) return false;
    if (i >= this.loaded) return this.store.equals(this.keyAt[i]!, length, key, 0);
    const b = this.file;
    const at = this.keyAt[i]!;
    for (let k = 0; k < length; k++) if (b[at + k] !== key.charCodeAt(k)) return false;
    return true;
  }

  private text(i: number, at: number, length: number): string {
    return i >= this.loaded ? this.store.text(at, length, 'latin1') : this.file.toString('latin1', at, at + length);
  }

  /** The slot holding `key` (hashed `hash`), or the empty slot where it would go. */
  private find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const i = this.slots[s]!;
      if (i === NONE || (this.hashes[i] === hash >>> 0 && this.keyEquals(i, key))) return s;
    }
  }

  /** The digest kept for `key`, marking the entry used; undefined when there is none. */
  use(key: string): string | undefined {
    const i = this.slots[this.find(key, hashText(key, 0))]!;
    if (i === NONE) return undefined;
    if (!this.usedFlags[i]) this.used++;
    this.usedFlags[i] = 1;
    return this.text(i, this.hexAt[i]!, this.hexLength[i]!);
  }

  /**
   * Keeps the entry whose key and digest are the adopted file's bytes `[keyAt, keyEnd)` and
   * `[hexAt, hexEnd)`, its key hashed `hash` (`hashText` of the same bytes), unused; a key already
   * held keeps its digest. Only before any `add`.
   */
  addLoaded(keyAt: number, keyEnd: number, hexAt: number, hexEnd: number, hash: number): void {
    const b = this.file;
    const length = keyEnd - keyAt;
    const mask = this.slots.length - 1;
    let s = hash & mask;
    for (; this.slots[s] !== NONE; s = (s + 1) & mask) {
      const j = this.slots[s]!;
      if (this.hashes[j] === hash >>> 0 && this.keyLength[j] === length && b.compare(b, keyAt, keyEnd, this.keyAt[j]!, this.keyAt[j]! + length) === 0) return;
    }
    const i = this.place(s, hash, keyAt, length, hexAt, hexEnd - hexAt, false);
    this.loaded = i + 1;
  }

  /** Keeps `hex` for `key` (a byte string), used by this scan or not; a key already held keeps its digest. */
  add(key: string, hex: string, used: boolean): void {
    const hash = hashText(key, 0);
    const slot = this.find(key, hash);
    const held = this.slots[slot]!;
    if (held !== NONE) {
      if (used && !this.usedFlags[held]) (this.usedFlags[held] = 1), this.used++;
      return;
    }
    const keyAt = this.store.append(key, 'latin1');
    this.place(slot, hash, keyAt, key.length, this.store.append(hex, 'latin1'), hex.length, used);
  }

  private place(slot: number, hash: number, keyAt: number, keyLength: number, hexAt: number, hexLength: number, used: boolean): number {
    const i = this.size++;
    if (i === this.keyAt.length) this.resize(i * 2);
    this.keyAt[i] = keyAt;
    this.keyLength[i] = keyLength;
    this.hexAt[i] = hexAt;
    this.hexLength[i] = hexLength;
    this.hashes[i] = hash;
    this.usedFlags[i] = used ? 1 : 0;
    if (used) this.used++;
    this.slots[slot] = i;
    if (this.size * 2 > this.slots.length) this.rehash();
    return i;
  }

  private resize(n: number): void {
    this.keyAt = grown(this.keyAt, n);
    this.keyLength = grown(this.keyLength, n);
    this.hexAt = grown(this.hexAt, n);
    this.hexLength = grown(this.hexLength, n);
    this.hashes = grown(this.hashes, n);
    this.usedFlags = grown(this.usedFlags, n);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(NONE);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.size; i++) {
      let s = this.hashes[i]! & mask;
      while (this.slots[s] !== NONE) s = (s + 1) & mask;
      this.slots[s] = i;
    }
  }

  /** Every entry this scan used or added, as [key, hex]. */
  *usedEntries(): Generator<[string, string]> {
    for (let i = 0; i < this.size; i++) {
      if (this.usedFlags[i]) yield [this.text(i, this.keyAt[i]!, this.keyLength[i]!), this.text(i, this.hexAt[i]!, this.hexLength[i]!)];
    }
  }
}
