/**
 * The verdict on an entry and what kind of entry it is: the words rules, the summary and every
 * report share (entry.ts holds the entry itself).
 * @module
 */

/** The verdict on one entry. */
export type EntryClass =
  /** Owned by no package: save it. */
  | 'new'
  /** Owned by a package but changed since install: save it. */
  | 'modified'
  /** Owned and intact: skip it. */
  | 'unmodified'
  /** Left out by the user's exclusions. */
  | 'excluded'
  /** Could not be read: reported, and prevents its folder from folding. */
  | 'unreadable'
  /** Not walked, e.g. a mount point when the scan stays on one file system. */
  | 'not-scanned';

/** What lstat says an entry is, as far as the summary cares (FIFOs, sockets and devices are `other`). */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';
