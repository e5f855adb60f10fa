/**
 * A digest cache key as numbers: device, inode, size, mtime and ctime as ten 32-bit words, and the
 * algorithm as a small code. Read from a stat without building the key's text (five bigints
 * printed in decimal were most of a cache lookup); the cache file holds the same words.
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
  if (stat.words !== undefined) return stat.words(out); // from a listing's bytes: no bigint made
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
 * A hash of the key words at `words[at..]` and algorithm code: of the low words of inode, size,
 * mtime and ctime only, written out flat (the keys a cache holds differ there; indexing a loaded
 * cache runs mostly before the optimiser has compiled it, where every call counts).
 */
export function hashWords(words: Uint32Array, at: number, algo: number): number {
  let h = Math.imul(Math.imul(algo + 1, 0x9e3779b1) ^ words[at + 2]!, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ words[at + 4]!, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ words[at + 6]!, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ words[at + 8]!, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Key words of the stat `timesBefore` looks at. */
const timeWords = new Uint32Array(WORDS);

/**
 * Whether the mtime and ctime of `stat` are both before `limitNs` (nanoseconds since the epoch,
 * a double: its 256 ns steps near today's times are far below any margin it is used with).
 * Read from the key's words, so a listing's stat makes no bigint.
 */
export function timesBefore(stat: FileStat, limitNs: number): boolean {
  statWords(stat, timeWords);
  // The high word is signed: a time before 1970 is negative.
  return (timeWords[7]! | 0) * 4294967296 + timeWords[6]! < limitNs && (timeWords[9]! | 0) * 4294967296 + timeWords[8]! < limitNs;
}
