import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { ByteStore } from '#backup/domain/owned-files/byte-store.js';
import { algoCode, hashWords, statWords, textWords, WORDS } from './cache-key.js';

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

/** Key words of the entry looked up, and of an entry compared with it. */
const asked = new Uint32Array(WORDS);
const held = new Uint32Array(WORDS);

/**
 * The digest cache's entries held compactly: each is a line `key hex` (the key as the cache file
 * spells it) with an open-addressing hash over its key's numbers, and one byte saying whether
 * this scan used it (only those are written back). Entries read from the cache file stay in the
 * file's bytes (`adopt`, `addLoaded`: no copy, no string per line); digests computed by this scan
 * are appended to a store of their own. A lookup hashes the stat's numbers: no key text is built.
 */
export class DigestTable {
  /** The cache file's bytes, holding the lines of the first `loaded` entries. */
  private file: Buffer = Buffer.alloc(0);
  private loaded = 0;
  private readonly store = new ByteStore();
  /** Where each entry's line starts (in the file, or in the store from `loaded` on). */
  private lineAt = new Uint32Array(1024);
  private keyLength = new Uint8Array(1024);
  private hexLength = new Uint8Array(1024);
  private algo = new Uint8Array(1024);
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
    if (lines > this.lineAt.length) this.resize(lines);
    if (slotsFor(lines) > this.slots.length) this.slots = new Int32Array(slotsFor(lines)).fill(NONE);
  }

  private bytesOf(i: number): Buffer {
    return i < this.loaded ? this.file : this.store.buffer;
  }

  /** Whether entry `i` is the one whose words are in `asked`, hashed `hash`: its key's text read again, only when the hashes agree. */
  private matches(i: number, hash: number, algo: number): boolean {
    if (this.hashes[i] !== hash || this.algo[i] !== algo || !textWords(this.bytesOf(i), this.lineAt[i]!, held)) return false;
    for (let k = 0; k < WORDS; k++) if (held[k] !== asked[k]) return false;
    return true;
  }

  /** The slot of the entry keyed by `asked`, or the empty slot where it would go. */
  private find(hash: number, algo: number): number {
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const i = this.slots[s]!;
      if (i === NONE || this.matches(i, hash, algo)) return s;
    }
  }

  /** The digest kept for the file `stat` describes, marking the entry used; undefined when there is none. */
  use(stat: FileStat, algo: DigestAlgo): string | undefined {
    statWords(stat, asked);
    const code = algoCode(algo);
    const i = this.slots[this.find(hashWords(asked, code), code)]!;
    if (i === NONE) return undefined;
    if (!this.usedFlags[i]) this.used++;
    this.usedFlags[i] = 1;
    const at = this.lineAt[i]! + this.keyLength[i]! + 1;
    return this.bytesOf(i).toString('latin1', at, at + this.hexLength[i]!);
  }

  /**
   * Keeps, unused, the adopted file's line at `lineAt`: key to `keyEnd`, a space, the digest to
   * `hexEnd`, algorithm `algo` (a code). Only well-formed lines, and before any `add`. A key
   * already held keeps its digest; a key no stat can have (see `textWords`) is left out.
   */
  addLoaded(lineAt: number, keyEnd: number, hexEnd: number, algo: number): void {
    if (!textWords(this.file, lineAt, asked)) return;
    const hash = hashWords(asked, algo);
    const slot = this.find(hash, algo);
    if (this.slots[slot] !== NONE) return;
    this.loaded = this.place(slot, hash, algo, lineAt, keyEnd - lineAt, hexEnd - keyEnd - 1, false) + 1;
  }

  /** Keeps `hex` for `key` (the key's text) of the file `stat` describes, used by this scan or not; a key already held keeps its digest. */
  add(stat: FileStat, algo: DigestAlgo, key: string, hex: string, used: boolean): void {
    statWords(stat, asked);
    const code = algoCode(algo);
    const hash = hashWords(asked, code);
    const slot = this.find(hash, code);
    const there = this.slots[slot]!;
    if (there !== NONE) {
      if (used && !this.usedFlags[there]) (this.usedFlags[there] = 1), this.used++;
      return;
    }
    const at = this.store.append(`${key} ${hex}`, 'latin1');
    this.place(slot, hash, code, at, key.length, hex.length, used);
  }

  private place(slot: number, hash: number, algo: number, lineAt: number, keyLength: number, hexLength: number, used: boolean): number {
    const i = this.size++;
    if (i === this.lineAt.length) this.resize(i * 2);
    this.lineAt[i] = lineAt;
    this.keyLength[i] = keyLength;
    this.hexLength[i] = hexLength;
    this.algo[i] = algo;
    this.hashes[i] = hash;
    this.usedFlags[i] = used ? 1 : 0;
    if (used) this.used++;
    this.slots[slot] = i;
    if (this.size * 2 > this.slots.length) this.rehash();
    return i;
  }

  private resize(n: number): void {
    this.lineAt = grown(this.lineAt, n);
    this.keyLength = grown(this.keyLength, n);
    this.hexLength = grown(this.hexLength, n);
    this.algo = grown(this.algo, n);
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

  /**
   * Hands `write` the lines (`key hex\n`) of every entry this scan used or added, as bytes in
   * chunks of at most 64 KiB, straight from where they are held: no string per entry, and never
   * the whole file in memory at once (144,000 entries made a 14 MB string and its copy).
   */
  writeUsed(write: (chunk: Buffer) => void): void {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    for (let i = 0; i < this.size; i++) {
      if (!this.usedFlags[i]) continue;
      const length = this.keyLength[i]! + 1 + this.hexLength[i]!;
      if (used + length + 1 > chunk.length) (write(chunk.subarray(0, used)), (used = 0));
      used += this.bytesOf(i).copy(chunk, used, this.lineAt[i]!, this.lineAt[i]! + length);
      chunk[used++] = 10; // newline
    }
    if (used > 0) write(chunk.subarray(0, used));
  }

  /** Every entry this scan used or added, as [key, hex]. */
  *usedEntries(): Generator<[string, string]> {
    for (let i = 0; i < this.size; i++) {
      if (!this.usedFlags[i]) continue;
      const text = this.bytesOf(i).toString('latin1', this.lineAt[i]!, this.lineAt[i]! + this.keyLength[i]! + 1 + this.hexLength[i]!);
      yield [text.slice(0, this.keyLength[i]!), text.slice(this.keyLength[i]! + 1)];
    }
  }
}
