/**
 * The digest cache table's rows as columns: their digests' places, their growth, their keys
 * compared (digest-table.ts).
 * @module
 */
import { HEX_LENGTHS, WORDS } from './cache-key.js';

/** `column` copied into a new array of the same type, `length` long. */
export function grown<T extends Uint32Array | Uint8Array>(column: T, length: number): T {
  const next = new (column.constructor as new (n: number) => T)(length);
  next.set(column);
  return next;
}

/** The smallest power of two holding `n` entries at most half full (at least 2048 slots). */
export function slotsFor(n: number): number {
  return Math.max(2048, 2 ** Math.ceil(Math.log2(n * 2 + 1)));
}

/** Whether rows `i` and `j` of the columns hold the same key and algorithm. */
export function sameRows(keys: Uint32Array, algo: Uint8Array, i: number, j: number): boolean {
  if (algo[i] !== algo[j]) return false;
  for (let k = 0; k < WORDS; k++) if (keys[i * WORDS + k] !== keys[j * WORDS + k]) return false;
  return true;
}

/**
 * Notes where each of `count` rows' digests starts in `digestBytes` bytes of digests laid end to
 * end; false when an algorithm is unknown or the lengths do not add up.
 */
export function digestStarts(count: number, digestBytes: number, algo: Uint8Array, digestAt: Uint32Array): boolean {
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = HEX_LENGTHS[algo[i]!]! / 2;
    if (!(length > 0) || at + length > digestBytes) return false; // an unknown algorithm reads as 0 or NaN
    digestAt[i] = at;
    at += length;
  }
  return at === digestBytes;
}

/**
 * The length of each of `count` rows' digests when every row has one known algorithm and the
 * `digestBytes` add up to that; else 0. Compared in one call, not a step per row.
 */
export function uniformLength(count: number, digestBytes: number, algo: Uint8Array): number {
  const code = algo[0] ?? 0;
  const length = HEX_LENGTHS[code]! / 2;
  if (!(length > 0) || count * length !== digestBytes) return 0;
  return Buffer.from(algo.buffer, algo.byteOffset, count).equals(Buffer.alloc(count, code)) ? length : 0;
}
