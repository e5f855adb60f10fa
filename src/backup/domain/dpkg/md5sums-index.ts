/**
 * One `.md5sums` file read as bytes: its digests found by path without a string or an object per
 * line. It reads the file exactly as `parseMd5sums` does (same lines skipped, same paths, the last
 * line for a path wins); the loader of the whole database uses it, one package at a time.
 */
import { HASH_START, hashBytes, hexValue } from '#backup/domain/owned-files/byte-store.js';

const EMPTY = -1;
const NEWLINE = 10;
const SLASH = 47;
const DOT = 46;
const SPACE = 32;
const STAR = 42;
/** The shortest line kept: 32 hex digits, two separators and a path byte. */
const SHORTEST = 35;

/** The md5sums file last `load`ed, indexed by `hashText` of each line's absolute path. */
export class Md5sumsIndex {
  /** The file's bytes (held, not copied: valid until the caller reuses them). */
  bytes: Buffer = Buffer.alloc(0);
  private slots = new Int32Array(64);
  private mask = 0;
  private hashes = new Int32Array(64);
  /** Where each entry's path starts (after the dropped leading `/` and `./`) and ends. */
  private from = new Int32Array(64);
  private to = new Int32Array(64);
  private hexAt = new Int32Array(64);
  private count = 0;

  /** Indexes `bytes[0..end)`, forgetting the previous file. */
  load(bytes: Buffer, end: number): void {
    this.bytes = bytes;
    this.count = 0;
    this.size(Math.floor(end / SHORTEST) + 1);
    for (let s = 0; s < end; ) {
      const path = this.pathStart(s, end);
      let q = path < 0 ? s : path;
      let h = hashBytes(HASH_START, SLASH);
      if (path < 0) while (q < end && bytes[q] !== NEWLINE) q++;
      else
        for (; q < end && bytes[q] !== NEWLINE; q++) h = hashBytes(h, bytes[q]!);
      if (path >= 0) this.insert(h, path, q, s);
      s = q + 1;
    }
  }

  /** Where the path of a `HEX  PATH` (or `HEX *PATH`) line at `s` starts once `/` and `./` are dropped; -1 when it is no such line. */
  private pathStart(s: number, end: number): number {
    const b = this.bytes;
    if (end - s < SHORTEST) return EMPTY;
    for (let i = s; i < s + 32; i++) if (hexValue(b[i]!) < 0) return EMPTY;
    if (b[s + 32] !== SPACE || (b[s + 33] !== SPACE && b[s + 33] !== STAR) || b[s + 34] === NEWLINE) return EMPTY;
    let p = s + 34;
    for (;;) {
      if (p < end && b[p] === SLASH) p++;
      else if (p + 1 < end && b[p] === DOT && b[p + 1] === SLASH) p += 2;
      else return p;
    }
  }

  private size(entries: number): void {
    const slots = 2 ** Math.ceil(Math.log2(entries * 2 + 2));
    if (slots > this.slots.length) this.slots = new Int32Array(slots);
    this.slots.fill(EMPTY, 0, slots);
    this.mask = slots - 1;
    if (entries > this.hashes.length) {
      this.hashes = new Int32Array(entries);
      this.from = new Int32Array(entries);
      this.to = new Int32Array(entries);
      this.hexAt = new Int32Array(entries);
    }
  }


  private insert(hash: number, from: number, to: number, hexAt: number): void {
    const mask = this.mask;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) {
        const n = this.count++;
        this.hashes[n] = hash;
        this.from[n] = from;
        this.to[n] = to;
        this.hexAt[n] = hexAt;
        this.slots[s] = n;
        return;
      }
      if (this.hashes[e] === hash && this.same(e, this.bytes, from, to)) {
        this.from[e] = from;
        this.to[e] = to;
        this.hexAt[e] = hexAt;
        return;
      }
    }
  }

  /** Whether entry `e`'s path holds the bytes `path[from..to)`. */
  private same(e: number, path: Uint8Array, from: number, to: number): boolean {
    const at = this.from[e]!;
    if (this.to[e]! - at !== to - from) return false;
    const b = this.bytes;
    for (let i = 0; i < to - from; i++) if (b[at + i] !== path[from + i]) return false;
    return true;
  }

  /**
   * Where in `bytes` the 32 hex digits for the absolute path `path[start..end)` start (its
   * `hashText` is `hash`), or -1 when the file has none for it.
   */
  find(path: Uint8Array, start: number, end: number, hash: number): number {
    if (this.count === 0 || path[start] !== SLASH || end <= start) return EMPTY;
    const mask = this.mask;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return EMPTY;
      if (this.hashes[e] === hash && this.same(e, path, start + 1, end)) return this.hexAt[e]!;
    }
  }
}
