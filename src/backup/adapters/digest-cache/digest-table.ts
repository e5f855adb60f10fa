import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { ByteStore } from '#backup/domain/owned-files/byte-store.js';
import { algoCode, HEX_LENGTHS, hashWords, statWords, WORDS } from './cache-key.js';
import type { CacheColumn, PutBytes } from './column-writer.js';
import { decodeHex } from './hex-digest.js';
import { digestStarts, grown, sameRows, slotsFor, uniformLength } from './table-rows.js';

const NONE = -1;

/** Key words of the entry looked up or added. */
const asked = new Uint32Array(WORDS);
/** A digest's bytes, decoded from its hex text. */
const decoded = new Uint8Array(64);

/**
 * The digest cache's entries held as numbers: each entry's key is ten 32-bit words (device,
 * inode, size, mtime, ctime) in one typed array, its digest raw bytes in one growing buffer, with
 * an algorithm code, a byte saying whether this scan used it (only those are written back) and
 * an open-addressing hash over the keys. No string per entry: the cache file holds the same
 * columns, read straight into these arrays (`adopt`) and written from them (`writeUsed`).
 * Measured on a whole system (108,000 md5 entries): 81 bytes an entry, room for growth included.
 */
export class DigestTable {
  private keys: Uint32Array = new Uint32Array(1024 * WORDS);
  /** Where each entry's digest starts in `digests`; its length follows from the algorithm. */
  private digestAt: Uint32Array = new Uint32Array(1024);
  private algo: Uint8Array = new Uint8Array(1024);
  private usedFlags = new Uint8Array(1024);
  private digests = new ByteStore();
  private slots = new Int32Array(2048).fill(NONE);
  /**
   * Whether `slots` indexes every row. A table read from a file is indexed only when a lookup
   * first needs the hash (the entry after the last one found is not the one asked, see `next`),
   * or an entry is added: a rescan of an unchanged system never does (measured: indexing 72,000
   * entries was about half of the cache's load, ~9 of 17 ms, mostly before the optimiser ran).
   */
  private indexed = true;
  /**
   * The entry after the last one a lookup found. A cache file holds its entries in the order the
   * scan that wrote it used them, the walk's order, which the next scan's walk repeats: comparing
   * this one first answers most lookups without the hash (measured on 72,000 lookups: about a
   * third of their time, the hash's slots being read all over).
   */
  private next = 0;
  /**
   * The length of every row's digest when a file's entries all have one algorithm (as a
   * distribution's packages do): row `i`'s digest then starts at `i * uniform`, with no pass
   * over the rows to note it (that pass ran unoptimised on each load: ~5 ms of 72,000 entries).
   * 0: `digestAt` says where.
   */
  private uniform = 0;
  /** Rows held: one per entry, but for a key a file held twice until it is indexed. */
  private rows = 0;
  /** Entries this scan used or added. */
  used = 0;

  /** Entries held. */
  get size(): number {
    this.ensureIndexed();
    return this.rows;
  }

  /**
   * Fills an empty table with a cache file's `count` entries: `fill` reads their key words,
   * algorithm codes and `digestBytes` bytes of digests into the arrays it is handed (room for an
   * eighth more entries is kept beyond them: growing copies every column). False, leaving the
   * table empty, when `fill` fails, an algorithm is unknown or the digests' lengths do not add
   * up; a key held twice keeps its first digest.
   */
  adopt(count: number, digestBytes: number, fill: (keys: Uint32Array, algos: Uint8Array, digests: Uint8Array) => boolean): boolean {
    const room = count + Math.floor(count / 8) + 64;
    const keys = new Uint32Array(room * WORDS);
    const algo = new Uint8Array(room);
    const digests = Buffer.allocUnsafe(digestBytes + Math.floor(digestBytes / 8) + 1024);
    if (!fill(keys.subarray(0, count * WORDS), algo.subarray(0, count), digests.subarray(0, digestBytes))) return false;
    return this.take(count, digestBytes, keys, algo, digests);
  }

  /**
   * Fills an empty table with a cache file's `count` entries as the file's bytes hold them, not
   * copied: `keys` (ten words each), `algos` and `digestBytes` bytes of `digests`, views of one
   * buffer read whole (no room beyond them: adding an entry first copies every column). False,
   * leaving the table empty, when an algorithm is unknown or the digests' lengths do not add up.
   */
  adoptColumns(count: number, digestBytes: number, keys: Uint32Array, algos: Uint8Array, digests: Buffer): boolean {
    if (keys.length !== count * WORDS || algos.length !== count || digests.length !== digestBytes) return false;
    return this.take(count, digestBytes, keys, algos, digests);
  }

  /** Holds `count` rows from columns of `room` rows (`adopt`, `adoptColumns`); false when the digests' lengths do not add up. */
  private take(count: number, digestBytes: number, keys: Uint32Array, algo: Uint8Array, digests: Buffer): boolean {
    const room = algo.length;
    const digestAt = new Uint32Array(room);
    const uniform = uniformLength(count, digestBytes, algo);
    if (uniform === 0 && !digestStarts(count, digestBytes, algo, digestAt)) return false;
    this.uniform = uniform;
    this.keys = keys;
    this.algo = algo;
    this.digestAt = digestAt;
    this.usedFlags = new Uint8Array(room);
    this.digests = ByteStore.of(digests, digestBytes);
    this.slots = new Int32Array(0);
    this.rows = count;
    this.indexed = false;
    return true;
  }

  /** Where entry `i`'s digest starts in `digests`. */
  private digestStart(i: number): number {
    return this.uniform > 0 ? i * this.uniform : this.digestAt[i]!;
  }

  /** Notes where each row's digest starts, when `uniform` said it instead (rows are about to move or be added). */
  private placeDigests(): void {
    if (this.uniform === 0) return;
    for (let i = 0; i < this.rows; i++) this.digestAt[i] = i * this.uniform;
    this.uniform = 0;
  }

  /** Indexes the rows when they are not: see `indexed`. */
  private ensureIndexed(): void {
    if (this.indexed) return;
    this.indexed = true;
    this.index();
    this.next = 0;
  }

  /**
   * Indexes every row, moving it down over the duplicates of a key before it (one entry, used
   * when either row was). One flat loop: on a cache's first load it runs mostly unoptimised.
   */
  private index(): void {
    this.placeDigests();
    const { keys, algo, digestAt, usedFlags } = this;
    const count = this.rows;
    const slots = new Int32Array(slotsFor(count)).fill(NONE);
    const mask = slots.length - 1;
    let size = 0;
    rows: for (let i = 0; i < count; i++) {
      const code = algo[i]!;
      let s = hashWords(keys, i * WORDS, code) & mask;
      for (let j = slots[s]!; j !== NONE; j = slots[s]!) {
        if (keys[j * WORDS + 2] === keys[i * WORDS + 2] && sameRows(keys, algo, i, j)) {
          // A key held twice: one entry, used when either row was.
          if (usedFlags[i] && usedFlags[j]) this.used--;
          else if (usedFlags[i]) usedFlags[j] = 1;
          continue rows;
        }
        s = (s + 1) & mask;
      }
      if (size < i) {
        keys.copyWithin(size * WORDS, i * WORDS, (i + 1) * WORDS);
        algo[size] = code;
        digestAt[size] = digestAt[i]!;
        usedFlags[size] = usedFlags[i]!;
      }
      slots[s] = size++;
    }
    this.slots = slots;
    this.rows = size;
  }

  /** Whether entry `i` is the one keyed by `asked` and `algo`. */
  private matches(i: number, algo: number): boolean {
    if (this.algo[i] !== algo) return false;
    const keys = this.keys;
    const at = i * WORDS;
    for (let k = 0; k < WORDS; k++) if (keys[at + k] !== asked[k]) return false;
    return true;
  }

  /** The slot of the entry keyed by `asked` and `algo`, or the empty slot where it would go. */
  private find(algo: number): number {
    const mask = this.slots.length - 1;
    for (let s = hashWords(asked, 0, algo) & mask; ; s = (s + 1) & mask) {
      const i = this.slots[s]!;
      if (i === NONE || this.matches(i, algo)) return s;
    }
  }

  /** The entry for the file `stat` describes, marked used; NONE when there is none. */
  private usedEntry(stat: FileStat, algo: DigestAlgo): number {
    if (this.rows === 0) return NONE; // a first run: no key words to make
    statWords(stat, asked);
    const code = algoCode(algo);
    // The entry after the last one found first (a rescan asks in the order the file holds them),
    // then that last one again (a digest that differs from the recorded one is asked for twice).
    let i = this.next;
    if (!(i < this.rows && this.matches(i, code)) && !(i > 0 && this.matches(--i, code))) {
      this.ensureIndexed();
      i = this.slots[this.find(code)]!;
    }
    if (i === NONE) return NONE;
    this.next = i + 1;
    if (!this.usedFlags[i]) (this.usedFlags[i] = 1), this.used++;
    return i;
  }

  /** The digest kept for the file `stat` describes, marking the entry used; undefined when there is none. */
  use(stat: FileStat, algo: DigestAlgo): string | undefined {
    const i = this.usedEntry(stat, algo);
    return i === NONE ? undefined : this.digests.text(this.digestStart(i), HEX_LENGTHS[this.algo[i]!]! / 2, 'hex');
  }

  /**
   * Whether the digest kept for the file `stat` describes is `expected[at..at+length)`, marking
   * the entry used, without making its text; undefined when there is none.
   */
  sameAs(stat: FileStat, algo: DigestAlgo, expected: Uint8Array, at: number, length: number): boolean | undefined {
    const i = this.usedEntry(stat, algo);
    if (i === NONE) return undefined;
    if (HEX_LENGTHS[this.algo[i]!]! / 2 !== length) return false;
    const bytes = this.digests.buffer;
    const from = this.digestStart(i);
    for (let k = 0; k < length; k++) if (bytes[from + k] !== expected[at + k]) return false;
    return true;
  }

  /** Keeps `hex` for the file `stat` describes, used by this scan or not; a key already held keeps its digest. */
  add(stat: FileStat, algo: DigestAlgo, hex: string, used: boolean): void {
    this.ensureIndexed();
    const code = algoCode(algo);
    statWords(stat, asked);
    const slot = this.find(code);
    const there = this.slots[slot]!;
    if (there !== NONE) {
      if (used && !this.usedFlags[there]) (this.usedFlags[there] = 1), this.used++;
      return;
    }
    // Only a digest as the port spells it (lower-case hex of the algorithm's length) is kept.
    if (hex.length !== HEX_LENGTHS[code] || !decodeHex(hex, decoded)) return;
    this.place(slot, code, this.digests.appendBytes(decoded, 0, hex.length / 2), used);
  }

  private place(slot: number, algo: number, digestAt: number, used: boolean): void {
    const i = this.rows++;
    if (i === this.algo.length) this.resize(Math.ceil(i * 1.5));
    this.keys.set(asked, i * WORDS);
    this.digestAt[i] = digestAt;
    this.algo[i] = algo;
    this.usedFlags[i] = used ? 1 : 0;
    if (used) this.used++;
    this.slots[slot] = i;
    if (this.rows * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  private resize(n: number): void {
    this.keys = grown(this.keys, n * WORDS);
    this.digestAt = grown(this.digestAt, n);
    this.algo = grown(this.algo, n);
    this.usedFlags = grown(this.usedFlags, n);
  }

  private rehash(length: number): void {
    this.slots = new Int32Array(length).fill(NONE);
    const mask = length - 1;
    for (let i = 0; i < this.rows; i++) {
      let s = hashWords(this.keys, i * WORDS, this.algo[i]!) & mask;
      while (this.slots[s] !== NONE) s = (s + 1) & mask;
      this.slots[s] = i;
    }
  }

  /** Whether this scan used every entry held (a save would write them all back as they are). */
  get allUsed(): boolean {
    if (this.used === this.rows) return true;
    this.ensureIndexed(); // a key held twice is one entry
    return this.used === this.rows;
  }

  /** The bytes of the digests of the entries this scan used or added. */
  get usedDigestBytes(): number {
    let bytes = 0;
    for (let i = 0; i < this.rows; i++) if (this.usedFlags[i]) bytes += HEX_LENGTHS[this.algo[i]!]! / 2;
    return bytes;
  }

  /** Hands `put` one column (key words, algorithm codes or digests) of every entry this scan used or added, in entry order. */
  writeUsed(column: CacheColumn, put: PutBytes): void {
    const keyBytes = new Uint8Array(this.keys.buffer, this.keys.byteOffset, this.rows * WORDS * 4); // a view of a file read whole starts inside its buffer
    const digests = this.digests.buffer;
    for (let i = 0; i < this.rows; i++) {
      if (!this.usedFlags[i]) continue;
      if (column === 'keys') put(keyBytes, i * WORDS * 4, WORDS * 4);
      else if (column === 'algos') put(this.algo, i, 1);
      else put(digests, this.digestStart(i), HEX_LENGTHS[this.algo[i]!]! / 2);
    }
  }

  /** The bytes the table's arrays take, room for growth included. */
  get byteLength(): number {
    return this.keys.byteLength + this.digestAt.byteLength + this.algo.byteLength + this.usedFlags.byteLength + this.slots.byteLength + this.digests.byteLength;
  }
}
