/**
 * A digest cache key as numbers: device, inode, size, mtime and ctime as ten 32-bit words, and the
 * algorithm as a small code. Read from a stat without building the key's text (five bigints
 * printed in decimal were most of a cache lookup), and from a cache line's decimal text.
 * @module
 */
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';

/** The algorithms by code; 0 is none. */
export const ALGOS: ReadonlyArray<DigestAlgo | undefined> = [undefined, 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
/** The hex length of each algorithm's digest, by code. */
export const HEX_LENGTHS: readonly number[] = [0, 32, 40, 56, 64, 96, 128];
/** The key's words: two per field, low word first. */
export const WORDS = 10;

const TWO_32 = 4294967296;
/** size, mtime and ctime are signed 64-bit numbers: a key above 2^63 - 1 names no stat. */
const SIGNED_FIELDS = 0b11100;
const scratch = new BigInt64Array(5);
const halves = new Uint32Array(scratch.buffer);
/** Which half of a 64-bit slot is the low word on this machine. */
const LOW = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/** The code of `algo`. */
export function algoCode(algo: DigestAlgo): number {
  return ALGOS.indexOf(algo);
}

/** Writes the key words of `stat` into `out`, as its 64-bit values' bit patterns. */
export function statWords(stat: FileStat, out: Uint32Array): void {
  scratch[0] = stat.dev;
  scratch[1] = stat.ino;
  scratch[2] = stat.size;
  scratch[3] = stat.mtimeNs;
  scratch[4] = stat.ctimeNs;
  for (let f = 0; f < 5; f++) {
    out[2 * f] = halves[2 * f + LOW]!;
    out[2 * f + 1] = halves[2 * f + 1 - LOW]!;
  }
}

/**
 * Reads the five decimal fields of a well-formed key (`dev:ino:size:mtime:ctime:...`) at `at`
 * into `out` (a signed field may start with `-`). False when the key names no stat: a field past
 * 64 bits (63 for the signed ones), or
 * written with a leading zero (a stat's key never is: its text could never have matched).
 */
export function textWords(b: Uint8Array, at: number, out: Uint32Array): boolean {
  let i = at;
  for (let f = 0; f < 5; f++) {
    let lo = 0;
    let hi = 0;
    const negative = b[i] === 45; // '-': a file dated before 1970
    if (negative) i++;
    const from = i;
    // Fifteen digits stay exact in a double: only the rest (of a time in nanoseconds) needs the
    // carry into the high word, a division per digit (measured: most of reading a cache file).
    let value = 0;
    for (let c = b[i]!; c >= 48 && c <= 57 && i - from < 15; c = b[++i]!) value = value * 10 + (c - 48);
    hi = Math.floor(value / TWO_32);
    lo = value - hi * TWO_32;
    for (let c = b[i]!; c >= 48 && c <= 57; c = b[++i]!) {
      lo = lo * 10 + (c - 48);
      const carry = Math.floor(lo / TWO_32);
      lo -= carry * TWO_32;
      hi = hi * 10 + carry;
      if (hi >= TWO_32) return false;
    }
    if (b[from] === 48 && i - from > 1) return false;
    if (negative) {
      // Two's complement of the magnitude, as the stat's 64-bit value holds it; -0 and below -2^63 name no stat.
      if (!((SIGNED_FIELDS >> f) & 1) || (lo === 0 && hi === 0) || hi > TWO_32 / 2 || (hi === TWO_32 / 2 && lo > 0)) return false;
      hi = (TWO_32 - hi - (lo === 0 ? 0 : 1)) % TWO_32;
      lo = (TWO_32 - lo) % TWO_32;
    } else if ((SIGNED_FIELDS >> f) & 1 && hi >= TWO_32 / 2) return false;
    out[2 * f] = lo;
    out[2 * f + 1] = hi;
    i++; // the colon
  }
  return true;
}

/** A hash of the key words at `words[at..]` and algorithm code. */
export function hashWords(words: Uint32Array, at: number, algo: number): number {
  let h = Math.imul(algo + 1, 0x9e3779b1);
  for (let k = 0; k < WORDS; k++) {
    h = Math.imul(h ^ words[at + k]!, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}
