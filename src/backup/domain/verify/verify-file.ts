import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { Verify } from './verify-flags.js';

/** What the scanner observed about a path an owned record names. */
export interface Observation {
  /** lstat of the path, or undefined when it does not exist. */
  readonly stat: FileStat | undefined;
  /** readlink of the path, when it is a symlink; undefined when readlink failed. */
  readonly linkTarget?: string | undefined;
  /** The content digest, when `needsDigest` asked for one. */
  readonly digest?: DigestResult | undefined;
}

/** The outcome of checking one path against one owned record. */
export interface VerifyOutcome {
  /** The path is gone (rpm's `missing`). */
  readonly missing: boolean;
  /** Failed tests as `Verify` bits; mtime is cleared when the path has more than one owner. */
  readonly result: number;
  /** Why the content could not be hashed (`EIO`, `changed-while-reading`...), when it could not. */
  readonly readError?: string;
}

const S_IFMT = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const CONTENT = Verify.DIGEST | Verify.SIZE | Verify.MTIME | Verify.CAPS;

/** Attributes rpm would test for this record against this lstat, before any comparison. */
export function testedAttributes(record: OwnedFile, stat: FileStat): number {
  let flags = record.verifyFlags;
  if (record.state === 'replaced') return 0;
  if (record.state === 'wrong-color') flags &= ~(Verify.DIGEST | Verify.SIZE | Verify.MTIME | Verify.RDEV);
  flags &= stat.type === 'symlink' ? ~Verify.MODE : ~Verify.LINKTO;
  if (stat.type !== 'file') flags &= ~CONTENT;
  if (record.flags.ghost) flags &= ~(Verify.DIGEST | Verify.SIZE | Verify.MTIME | Verify.LINKTO);
  // Capabilities are not read by this scanner (rpm's FILECAPS are not queried): never flagged.
  return flags & ~Verify.CAPS;
}

/** Whether rpm's verdict needs the content hashed: a digest test on a file whose size already matches. */
export function needsDigest(record: OwnedFile, stat: FileStat | undefined): boolean {
  if (!stat || record.state === 'not-installed' || record.state === 'net-shared') return false;
  const tested = testedAttributes(record, stat);
  if (!(tested & Verify.DIGEST) || !record.digest || !record.digestAlgo) return false;
  return !(tested & Verify.SIZE) || stat.size === record.size;
}

function ownerDiffers(name: string | undefined, expected: string, actual: bigint, idOf: (n: string) => bigint | undefined): boolean {
  // rpm accepts a match by name or by number, as rpmfilesVerify does.
  return !(name !== undefined && name === expected) && idOf(expected) !== actual;
}

function isDevice(mode: number): boolean {
  const type = mode & S_IFMT;
  return type === S_IFCHR || type === S_IFBLK;
}

/**
 * Compares what was observed with what the package recorded, test by test, as `rpm -V` does.
 * A size mismatch on a file implies a digest mismatch without reading it (the content differs).
 */
export function verifyFile(record: OwnedFile, seen: Observation, accounts: AccountsPort, owners = 1): VerifyOutcome {
  if (record.state === 'not-installed' || record.state === 'net-shared') return { missing: false, result: 0 };
  const stat = seen.stat;
  if (!stat || record.mode === 0) return { missing: true, result: 0 };
  const tested = testedAttributes(record, stat);
  let result = 0;
  let readError: string | undefined;
  const sizeDiffers = stat.size !== record.size;
  if (tested & Verify.DIGEST) {
    if (!record.digest || !record.digestAlgo || ((tested & Verify.SIZE) && sizeDiffers)) result |= Verify.DIGEST;
    else if (!seen.digest) result |= Verify.DIGEST | Verify.READFAIL;
    else if (!seen.digest.ok) {
      result |= Verify.DIGEST | Verify.READFAIL;
      readError = seen.digest.code;
    }
    else if (seen.digest.hex !== record.digest.toLowerCase()) result |= Verify.DIGEST;
  }
  if (tested & Verify.LINKTO) {
    if (seen.linkTarget === undefined) result |= Verify.LINKTO | Verify.READLINKFAIL;
    else if (seen.linkTarget !== record.linkTarget) result |= Verify.LINKTO;
  }
  if (tested & Verify.SIZE && sizeDiffers) result |= Verify.SIZE;
  const mode = Number(stat.mode & 0xffffn);
  if (tested & Verify.MODE) {
    const mask = record.flags.ghost ? ~S_IFMT & 0xffff : 0xffff;
    if ((mode & mask) !== (record.mode & mask)) result |= Verify.MODE;
  }
  if (tested & Verify.RDEV) {
    const sameKind = (mode & S_IFMT) === (record.mode & S_IFMT) || !(isDevice(mode) || isDevice(record.mode));
    if (!sameKind) result |= Verify.RDEV;
    else if (isDevice(mode) && (Number(stat.rdev & 0xffffn) !== (record.rdev & 0xffff))) result |= Verify.RDEV;
  }
  if (tested & Verify.MTIME && stat.mtimeNs / 1_000_000_000n !== record.mtime && owners < 2) result |= Verify.MTIME;
  if (tested & Verify.USER && ownerDiffers(accounts.userName(stat.uid), record.user, stat.uid, (n) => accounts.uidOf(n))) {
    result |= Verify.USER;
  }
  if (tested & Verify.GROUP && ownerDiffers(accounts.groupName(stat.gid), record.group, stat.gid, (n) => accounts.gidOf(n))) {
    result |= Verify.GROUP;
  }
  return readError === undefined ? { missing: false, result } : { missing: false, result, readError };
}
