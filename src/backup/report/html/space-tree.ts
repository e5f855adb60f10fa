/**
 * The HTML report's input: the collapsed summary tree, as plain data that survives JSON. Paths
 * and names are byte strings (each character one byte, as in the domain); sizes are numbers or
 * decimal strings, so totals past 2^53 bytes keep every digit.
 */
import type { EntryClass } from '#backup/domain/entry/entry-class.js';

/** A byte count: a non-negative integer, or its decimal string when it may exceed 2^53. */
export type ByteCount = number | string | bigint;

/** A node's class: an entry class, or `mixed` for a folder holding several kinds. */
export type SpaceClass = EntryClass | 'mixed';

/** An entry that could not be looked at, reported below the node that holds it. */
export interface SpaceError {
  /** Absolute byte-string path. */
  readonly path: string;
  /** Why it was not looked at. */
  readonly class: 'unreadable' | 'not-scanned' | 'excluded';
  /** Details, e.g. `EACCES` or `mount point`. */
  readonly reason?: string;
}

/** One node of the collapsed summary tree: an entry, or a folder with its totals. */
export interface SpaceNode {
  /** Last path component as a byte string; the root's name is its whole path. */
  readonly name: string;
  /** Absolute byte-string path. */
  readonly path: string;
  /** Bytes to save in the whole subtree. */
  readonly saveSize: ByteCount;
  /** Bytes owned by packages and intact in the whole subtree. */
  readonly unmodifiedSize: ByteCount;
  /** What the entry is; for a folder, what everything in it is, or `mixed`. */
  readonly class: SpaceClass;
  /** Entries in the subtree by class. */
  readonly counts?: Readonly<Partial<Record<EntryClass, number>>>;
  /** A rule's note about this entry, e.g. "cache: safe to skip". */
  readonly note?: string;
  /** Why it has its class, e.g. rpm verify flags or an error code. */
  readonly reason?: string;
  /** For a folder folded whole: a few of the names inside, as text to show. */
  readonly contents?: string;
  /** Entries below this node that could not be scanned, when they are not children. */
  readonly errors?: readonly SpaceError[];
  /** What the folder holds that was not collapsed into it. */
  readonly children?: readonly SpaceNode[];
}

/** A byte count as a bigint; malformed or negative input is a caller's bug and throws. */
export function bytesOf(count: ByteCount): bigint {
  const value = typeof count === 'bigint' ? count : BigInt(count);
  if (value < 0n) throw new RangeError(`negative byte count ${String(count)}`);
  return value;
}

/**
 * The exact sum of many byte counts. Float addition is exact while the total stays below 2^53,
 * and is much quicker than parsing each count as a bigint, so that is tried first.
 */
export function totalBytes(counts: readonly ByteCount[]): bigint {
  let quick = 0;
  for (const count of counts) quick += Number(count);
  if (Number.isSafeInteger(quick) && quick >= 0) return BigInt(quick);
  let exact = 0n;
  for (const count of counts) exact += bytesOf(count);
  return exact;
}
