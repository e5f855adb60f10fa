import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { ByteStore } from '#backup/domain/owned-files/byte-store.js';
import { algoCode, HEX_LENGTHS, hashWords, statWords, textWords, WORDS } from './cache-key.js';
import { decodeHex, MAX_LINE, writeLine } from './line-text.js';

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

/** Key words of the entry looked up or added. */
const asked = new Uint32Array(WORDS);
/** A digest's bytes, decoded from its hex text. */
const decoded = new Uint8Array(64);

/**
 * The digest cache's entries held as numbers: each entry's key is ten 32-bit words (device,
 * inode, size, mtime, ctime) in one typed array, its digest raw bytes in one growing buffer, with
 * an algorithm code, a byte saying whether this scan used it (only those are written back) and
 * an open-addressing hash over the keys. No string per entry: hex and decimal exist only at the
 * file boundary (`addLine` reads a cache file's line, `writeUsed` writes lines). Measured on a
 * whole system (108,000 md5 entries read from the cache file): 81 bytes an entry, room for growth
 * included, where the file's text and an index into it took 117.
 */
export class DigestTable {
  private keys = new Uint32Array(1024 * WORDS);
  /** Where each entry's digest starts in `digests`; its length follows from the algorithm. */
  private digestAt = new Uint32Array(1024);
  private algo = new Uint8Array(1024);
  private usedFlags = new Uint8Array(1024);
  private readonly digests = new ByteStore();
  private slots = new Int32Array(2048).fill(NONE);
  /** Entries held. */
  size = 0;
  /** Entries this scan used or added. */
  used = 0;

  /**
   * Makes room for `entries` entries (a cache file's lines), so loading it grows nothing, and an
   * eighth more for files new since: growing copies every column.
   */
  reserve(entries: number): void {
    if (entries > this.algo.length) this.resize(entries + (entries >> 3));
    if (slotsFor(entries) > this.slots.length) this.rehash(slotsFor(entries));
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

  /** The digest kept for the file `stat` describes, marking the entry used; undefined when there is none. */
  use(stat: FileStat, algo: DigestAlgo): string | undefined {
    statWords(stat, asked);
    const code = algoCode(algo);
    const i = this.slots[this.find(code)]!;
    if (i === NONE) return undefined;
    if (!this.usedFlags[i]) (this.usedFlags[i] = 1), this.used++;
    return this.digests.text(this.digestAt[i]!, HEX_LENGTHS[code]! / 2, 'hex');
  }

  /**
   * Keeps, unused, a cache file's well-formed line: its key at `lineAt`, its digest's hex from
   * `hexAt` to `hexEnd`, algorithm `algo` (a code). A key already held keeps its digest; a key no
   * stat can have (see `textWords`) is left out.
   */
  addLine(file: Uint8Array, lineAt: number, hexAt: number, hexEnd: number, algo: number): void {
    if (!textWords(file, lineAt, asked) || hexEnd - hexAt !== HEX_LENGTHS[algo]) return;
    const slot = this.find(algo);
    if (this.slots[slot] !== NONE) return;
    const at = this.digests.appendHex(file, hexAt, hexEnd);
    if (at >= 0) this.place(slot, algo, at, false);
  }

  /** Keeps `hex` for the file `stat` describes, used by this scan or not; a key already held keeps its digest. */
  add(stat: FileStat, algo: DigestAlgo, hex: string, used: boolean): void {
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
    const i = this.size++;
    if (i === this.algo.length) this.resize(Math.ceil(i * 1.5));
    this.keys.set(asked, i * WORDS);
    this.digestAt[i] = digestAt;
    this.algo[i] = algo;
    this.usedFlags[i] = used ? 1 : 0;
    if (used) this.used++;
    this.slots[slot] = i;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
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
    for (let i = 0; i < this.size; i++) {
      let s = hashWords(this.keys, i * WORDS, this.algo[i]!) & mask;
      while (this.slots[s] !== NONE) s = (s + 1) & mask;
      this.slots[s] = i;
    }
  }

  /**
   * Hands `write` the lines (`key hex\n`) of every entry this scan used or added, as bytes in
   * chunks of at most 64 KiB: never the whole file in memory at once.
   */
  writeUsed(write: (chunk: Buffer) => void): void {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const digests = this.digests.buffer;
    let used = 0;
    for (let i = 0; i < this.size; i++) {
      if (!this.usedFlags[i]) continue;
      if (used + MAX_LINE > chunk.length) (write(chunk.subarray(0, used)), (used = 0));
      const algo = this.algo[i]!;
      used = writeLine(chunk, used, this.keys, i * WORDS, algo, digests, this.digestAt[i]!, HEX_LENGTHS[algo]! / 2);
    }
    if (used > 0) write(chunk.subarray(0, used));
  }

  /** The bytes the table's arrays take, room for growth included. */
  get byteLength(): number {
    return this.keys.byteLength + this.digestAt.byteLength + this.algo.byteLength + this.usedFlags.byteLength + this.slots.byteLength + this.digests.byteLength;
  }
}
