/**
 * What the scanner learns about one file-system entry, as plain data. Paths are *byte strings*:
 * each character is one byte of the raw path (a latin1 decoding), so names that are not valid
 * UTF-8, or hold newlines, survive exactly; adapters convert with `Buffer.from(path, 'latin1')`.
 * @module
 */

import type { RuleMark } from '#backup/domain/rules/rule.js';
import type { EntryClass, EntryKind } from './entry-class.js';

/** One classified entry, as the walk reports it. */
export interface ScannedEntry {
  /** Absolute byte-string path, `/`-separated, no trailing slash (the root is `/`). */
  readonly path: string;
  /** File, directory, symlink or other. */
  readonly kind: EntryKind;
  /** The verdict: save it, skip it, or report it. */
  readonly class: EntryClass;
  /** Apparent size in bytes (st_size). */
  readonly size: bigint;
  /** Device and inode, so hard-linked files count once; absent when unknown (the walk gives it only to non-directories with more than one link). */
  readonly identity?: {
    /** st_dev. */
    readonly dev: bigint;
    /** st_ino. */
    readonly ino: bigint;
  };
  /**
   * Hard-link count (st_nlink). The summary remembers an identity only when this is above 1 (or
   * unknown), so a scan of singly-linked files keeps no per-file memory.
   */
  readonly links?: number;
  /** Why it has its class, e.g. rpm-style verify flags `S.5....T` or an error code. */
  readonly reason?: string;
  /** What a rule says about it (rules/rule-engine.ts); absent when no rule marked it. */
  readonly rule?: RuleMark;
}
