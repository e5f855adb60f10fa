/**
 * How a record's small fields are packed into the `bits` column (flags in bits 0-3, state in 4-7,
 * digest algorithm from 8), and the one rule for which numbers the columns hold exactly.
 * @module
 */
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { OwnedFile, OwnedFileState } from '#backup/domain/ports/package-database.port.js';

/** Digest algorithms by their number in `bits >> 8` (0: none recorded). */
export const ALGOS: ReadonlyArray<DigestAlgo | undefined> = [undefined, 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
/** Install states by their number in `(bits >> 4) & 15`. */
export const STATES: readonly OwnedFileState[] = ['normal', 'replaced', 'not-installed', 'net-shared', 'wrong-color', 'missing'];
/** md5's number in {@link ALGOS}. */
export const MD5 = ALGOS.indexOf('md5');
/** The flags of a record by their four bits, shared rather than built for every record asked for. */
export const FLAGS: ReadonlyArray<OwnedFile['flags']> = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze({ config: (bits & 1) !== 0, ghost: (bits & 2) !== 0, doc: (bits & 4) !== 0, missingOk: (bits & 8) !== 0 }),
);

/** A digest the digest columns hold as bytes: lower-case hex, whole bytes. */
export const HEX = /^(?:[0-9a-f]{2})*$/;
/** The longest digest, in bytes, the digest columns hold; a longer one is kept as text. */
export const MAX_DIGEST = 255;

/** The four flag bits of `flags`. */
export function flagBits(f: OwnedFile['flags']): number {
  return (f.config ? 1 : 0) | (f.ghost ? 2 : 0) | (f.doc ? 4 : 0) | (f.missingOk ? 8 : 0);
}

/** The `bits` column's value for these flag bits, state and algorithm. */
export function packBits(flags: number, state: OwnedFileState, algo: DigestAlgo | undefined): number {
  return flags | (STATES.indexOf(state) << 4) | (ALGOS.indexOf(algo) << 8);
}

/** A bigint as a double when exact, else undefined (the record keeps it beside the columns). */
export function exact(value: bigint): number | undefined {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : undefined;
}
