import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { OwnedFileState } from '#backup/domain/ports/package-database.port.js';

const NONE = Buffer.alloc(0);

/**
 * One owned-file record as a parser of bytes finds it: its text as spans of the buffer it reads,
 * its numbers as numbers. One is reused from record to record, so adding a record
 * (`OwnedFileTable.addBytes`) builds no object and no string for its path.
 */
export class ByteRecord {
  /** The buffer the spans lie in. */
  bytes: Buffer = NONE;
  /** Where the path starts. */
  pathStart = 0;
  /** Where the path's last `/` is (at or after its start). */
  slash = 0;
  /** Where the path ends (exclusive). */
  pathEnd = 0;
  /** Where the digest's hex text starts. */
  digestStart = 0;
  /** Where the digest's hex text ends (the start: no digest). */
  digestEnd = 0;
  /** Where the owner's name starts. */
  userStart = 0;
  /** Where the owner's name ends. */
  userEnd = 0;
  /** Where the group's name starts. */
  groupStart = 0;
  /** Where the group's name ends. */
  groupEnd = 0;
  /** The owning package, as an id from `OwnedFileTable.textId`. */
  pkg = 0;
  /** Expected size (a safe integer). */
  size = 0;
  /** Expected mtime (a safe integer). */
  mtime = 0;
  /** Expected device number. */
  rdev = 0;
  /** Expected st_mode (unsigned 32-bit). */
  mode = 0;
  /** Verify flags (unsigned 32-bit). */
  verify = 0;
  /** Flags: config 1, ghost 2, doc 4, missingOk 8. */
  flags = 0;
  /** Install state. */
  state: OwnedFileState = 'normal';
  /** Digest algorithm. */
  algo: DigestAlgo | undefined = undefined;
  /** Expected symlink target; empty when none. */
  linkTarget = '';
}
