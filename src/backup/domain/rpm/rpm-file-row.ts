/**
 * The fast way to read an `F` record of the bulk query: straight from its bytes into a reused
 * `ByteRecord`, for the records whose every value is in its ordinary form (no escaped quote, no
 * huge number). Any other record is left to the general way (rpm-owned-file.ts), which also
 * names what is wrong with a bad one.
 * @module
 */
import type { OwnedFileState } from '#backup/domain/ports/package-database.port.js';
import type { ByteRecord } from '#backup/domain/owned-files/byte-record.js';
import { FileFlag, VERIFY_ALL } from '#backup/domain/verify/verify-flags.js';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import { fileState } from './rpm-owned-file.js';
import { ESCAPED, fieldText, type FieldSpans } from './rpm-fields.js';

const ZERO = 48;
const SLASH = 47;
const STATE_BY_DIGIT: readonly OwnedFileState[] = ['0', '1', '2', '3', '4'].map(fileState);
/** Not decimal digits (or none at all). */
const NOT_DIGITS = -1;
/** Digits, too many to be surely exact as a double. */
const TOO_LONG = -2;

/** Field `n` as a decimal number of at most 15 digits (always exact); else NOT_DIGITS or TOO_LONG. */
function digits(bytes: Buffer, spans: FieldSpans, n: number): number {
  const start = spans.start[n]!;
  const end = spans.end[n]!;
  if (start === end) return NOT_DIGITS;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = bytes[i]! - ZERO;
    if (d < 0 || d > 9) return NOT_DIGITS;
    value = value * 10 + d;
  }
  return end - start > 15 ? TOO_LONG : value;
}

/** The table's flag bits (config 1, ghost 2, doc 4, missingOk 8) of rpm's FILEFLAGS. */
function flagBits(flags: number): number {
  return (
    (flags & FileFlag.CONFIG ? 1 : 0) | (flags & FileFlag.GHOST ? 2 : 0) | (flags & FileFlag.DOC ? 4 : 0) | (flags & FileFlag.MISSINGOK ? 8 : 0)
  );
}

/**
 * Fills `row` from the current record's fields (an `F` record of 13), for the package `pkg` (an
 * id of the table) whose digests are `algo`'s; false when the record is not one for the fast way.
 */
export function fileRow(bytes: Buffer, spans: FieldSpans, pkg: number, algo: DigestAlgo | undefined, row: ByteRecord): boolean {
  for (let n = 1; n < 13; n++) if (spans.kind[n] === ESCAPED) return false;
  const pathStart = spans.start[1]!;
  let slash = spans.end[1]! - 1;
  while (slash >= pathStart && bytes[slash] !== SLASH) slash--;
  const size = digits(bytes, spans, 2);
  const mode = digits(bytes, spans, 3);
  const mtime = digits(bytes, spans, 5);
  const flags = digits(bytes, spans, 9);
  const verify = digits(bytes, spans, 10);
  const rdev = digits(bytes, spans, 12);
  if (slash < pathStart || size < 0 || mode < 0 || mtime < 0 || flags < 0 || verify < 0 || rdev < 0) return false;
  row.bytes = bytes;
  row.pathStart = pathStart;
  row.slash = slash;
  row.pathEnd = spans.end[1]!;
  row.digestStart = spans.start[4]!;
  row.digestEnd = spans.end[4]!;
  row.userStart = spans.start[7]!;
  row.userEnd = spans.end[7]!;
  row.groupStart = spans.start[8]!;
  row.groupEnd = spans.end[8]!;
  row.pkg = pkg;
  row.size = size;
  row.mtime = mtime;
  row.rdev = rdev;
  row.mode = mode & 0xffff;
  row.verify = verify & VERIFY_ALL;
  row.flags = flagBits(flags);
  row.algo = algo;
  const state = spans.end[11]! - spans.start[11]! === 1 ? bytes[spans.start[11]!]! - ZERO : -1;
  row.state = STATE_BY_DIGIT[state] ?? fileState(fieldText(bytes, spans, 11));
  row.linkTarget = spans.end[6]! > spans.start[6]! ? fieldText(bytes, spans, 6) : '';
  return true;
}
