/**
 * The common case of an owned path, decided straight from the compact table's columns: one owner,
 * a regular file or a directory, every test rpm would run passing but perhaps the mtime (which
 * alone never changes the verdict). No record object is built and
 * no bigint beyond the stat's own; anything else is left to the full check (`verifyFile`,
 * `classifyOwned`), which this must agree with wherever it answers.
 * @module
 */
import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { classifyOwned, type OwnedVerdict } from './classify-owned.js';
import { verifyFile } from './verify-file.js';
import { Verify } from './verify-flags.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
/** The table's bits: %ghost (flag bit 1) and the state (bits 4–7; 0 is `normal`). */
const GHOST_OR_STATE = 2 | (15 << 4);
const UNMODIFIED: OwnedVerdict = Object.freeze({ class: 'unmodified' });

/**
 * What `verdict` answers when every test passes but the digest's, which needs the content read:
 * the verdict is then `afterRead`'s, once the content is compared with the recorded digest.
 */
export const READ: unique symbol = Symbol('read');

/** A stat's bigint as a double when exact, else NaN (which equals nothing). */
function exactNumber(value: bigint): number {
  const n = Number(value);
  return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : Number.NaN;
}

function isDevice(mode: number): boolean {
  const type = mode & S_IFMT;
  return type === S_IFCHR || type === S_IFBLK;
}

/** Whether rpm's owner test passes: a match by name or by number (see verify-file.ts). */
type OwnerTest = (id: bigint, expected: string) => boolean;

/**
 * The last answer of an owner test, by (text id, uid): an owner test is a pure function of them
 * for one scan, and runs of files share both.
 */
class LastOwner {
  private textId = -1;
  private id = -1n;
  private ok = false;

  constructor(private readonly test: OwnerTest) {}

  matches(textId: number, id: bigint, expected: () => string): boolean {
    if (textId !== this.textId || id !== this.id) {
      this.ok = this.test(id, expected());
      this.textId = textId;
      this.id = id;
    }
    return this.ok;
  }
}

/** Decides the common case from the columns: `verdict` answers, or leaves it to the full check. */
export class PlainVerdicts {
  private readonly users: LastOwner;
  private readonly groups: LastOwner;

  constructor(
    private readonly table: OwnedFileTable,
    private readonly accounts: AccountsPort,
    /** `--quick`: a recorded digest is taken as matching. */
    private readonly quick: boolean,
    /** Where a digest known without reading comes from (the cache), when not quick. */
    private readonly digester: DigestPort | undefined,
  ) {
    this.users = new LastOwner((uid, name) => accounts.userName(uid) === name || accounts.uidOf(name) === uid);
    this.groups = new LastOwner((gid, name) => accounts.groupName(gid) === name || accounts.gidOf(name) === gid);
  }

  /**
   * The verdict on `stat` for record `i`, its path's only owner, when it can be told from the
   * columns (and a cached digest); undefined when the full check must decide.
   */
  verdict(i: number, stat: FileStat): OwnedVerdict | typeof READ | undefined {
    const tested = this.passesAllButDigest(i, stat);
    if (tested < 0) return undefined;
    if (!(tested & Verify.DIGEST) || this.quick) return UNMODIFIED;
    const hit = this.digester?.known?.(stat, this.table.algoOf(i)!);
    return hit === undefined ? READ : this.afterRead(i, stat, hit);
  }

  /**
   * The verdict on record `i` (for which `verdict` answered READ) once its content was read:
   * `true` when its digest is the recorded one, else the digest found or why there is none.
   */
  afterRead(i: number, stat: FileStat, read: true | DigestResult): OwnedVerdict {
    if (read === true || (read.ok && read.hex === this.table.digestHex(i))) return UNMODIFIED;
    const record = this.table.at(i); // rare: a changed file, and its verdict's reason
    return classifyOwned([record], [verifyFile(record, { stat, digest: read }, this.accounts, 1)]);
  }

  /**
   * The attributes rpm tests when every one but the digest passes and a digest, if tested, is
   * recorded and of a file whose size matches; -1 when the full check must decide.
   */
  private passesAllButDigest(i: number, stat: FileStat): number {
    const t = this.table;
    const c = t.columns;
    const type = stat.type;
    const mode = c.mode[i]!;
    // A regular file or a directory as recorded, state normal, not %ghost, fields all in the columns.
    if (type === 'file' ? (mode & S_IFMT) !== S_IFREG : type !== 'directory' || (mode & S_IFMT) !== S_IFDIR) return -1;
    if (c.bits[i]! & GHOST_OR_STATE || t.hasOdd(i)) return -1;
    // testedAttributes for such a record: no link test, no content tests on a directory, no capabilities.
    let tested = c.verify[i]! & ~(Verify.LINKTO | Verify.CAPS);
    if (type !== 'file') tested &= ~(Verify.DIGEST | Verify.SIZE | Verify.MTIME);
    if (tested & (Verify.DIGEST | Verify.SIZE)) {
      const sizeMatches = exactNumber(stat.size) === c.number('size', i);
      if (tested & Verify.SIZE && !sizeMatches) return -1;
      if (tested & Verify.DIGEST && (c.digestLength[i] === 0 || c.bits[i]! >> 8 === 0)) return -1;
    }
    if (tested & (Verify.MODE | Verify.RDEV)) {
      const exact = exactNumber(stat.mode);
      if (Number.isNaN(exact)) return -1;
      const seen = exact & 0xffff; // the low 16 bits, as `Number(stat.mode & 0xffffn)`
      if (tested & Verify.MODE && seen !== (mode & 0xffff)) return -1;
      if (tested & Verify.RDEV && isDevice(seen)) return -1; // a device where a file or directory is recorded
    }
    // No mtime test: a differing mtime alone never changes the verdict (classifyOwned: the digest decides), and reading it costs five bigints.
    if (tested & Verify.USER && !this.users.matches(c.user[i]!, stat.uid, () => t.text(c.user[i]!))) return -1;
    if (tested & Verify.GROUP && !this.groups.matches(c.group[i]!, stat.gid, () => t.text(c.group[i]!))) return -1;
    return tested;
  }
}
