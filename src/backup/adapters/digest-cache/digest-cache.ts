import { closeSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContentCheck, DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { type CacheOwner, type CacheRejection, type LoadedCache, readCacheFile, writeCacheFile } from './cache-file.js';
import { DigestSpool } from './digest-spool.js';
import { DigestTable } from './digest-table.js';
import { algoCode, HEX_LENGTHS, timesBefore } from './cache-key.js';

export type { CacheOwner, CacheRejection } from './cache-file.js';

/**
 * How long before its content was read a file's mtime and ctime must be for its digest to be kept.
 * A rewrite of the same size after the read but in the same clock tick leaves both as they were
 * (git's "racy clean" case), and the entry would then stand for content it never saw, on every
 * later scan. A tick is a jiffy (4-10 ms) for ctime before Linux 6.13, 2 s on FAT, 1 s on some
 * NFS and ext3; the second beyond FAT's covers the kernel's coarse clock lagging the process clock
 * (times are compared with `Date.now()`, the same realtime clock) and a file server's clock a little
 * behind this machine's. What is not kept is read again by the next scan; this scan's answer stands.
 */
export const SETTLE_MS = 3000;

/** What a check answered from the cache returns: nothing to wait for. */
const ANSWERED = Promise.resolve();

/** The hex text of `bytes[at..at+length)`. */
function hexOf(bytes: Uint8Array, at: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + at, length).toString('hex');
}

/**
 * Checks asked of the inner digester that one promise answers (a batch), kept column by column
 * until then: no promise or closure per file, and the digest kept from its bytes, not its text.
 */
class AskedChecks {
  readonly stats: FileStat[] = [];
  readonly algos: DigestAlgo[] = [];
  readonly expected: Uint8Array[] = [];
  readonly ats: number[] = [];
  readonly lengths: number[] = [];
  readonly intos: ContentCheck[] = [];

  /** Its promise settled: every answer is in. */
  done = false;

  constructor(readonly ready: Promise<void>) {}

  push(stat: FileStat, algo: DigestAlgo, expected: Uint8Array, at: number, length: number, into: ContentCheck): void {
    this.stats.push(stat);
    this.algos.push(algo);
    this.expected.push(expected);
    this.ats.push(at);
    this.lengths.push(length);
    this.intos.push(into);
  }
}

/**
 * Remembers digests by device, inode, size, mtime and ctime (any write changes the ctime), so a
 * rescan hashes only what changed; none of a file whose times are within `settleMs` of its read.
 * Loaded from and saved to one file, the scanner's only write (what a scan computes waits for the
 * save in a spool beside it, a file without a name).
 */
export class CachingDigester implements DigestPort {
  /** The entries read from the cache file (and those computed when the spool cannot be written). */
  private entries: DigestTable;
  /** The digests this scan computed, as rows in a file of their own until the save. */
  private readonly spool: DigestSpool;
  /** Why the cache file was not used; undefined when it was. */
  readonly rejected: CacheRejection;
  /** How many digests came from the cache instead of reading the file. */
  hits = 0;
  /** Digests this scan computed and kept: the file needs writing. */
  private added = 0;
  /** The stat `checkKnown` last found no entry for (see `check`). */
  private missed: FileStat | undefined;
  /** The checks asked of the inner digester that share the promise it gave last. */
  private asking: AskedChecks | undefined;
  /** Groups of checks whose answers are not kept yet, in the order asked (a few batches at most). */
  private unsettled: AskedChecks[] = [];
  /**
   * The process clock (ms), read before the inner digester was asked any check not asked yet: no
   * later check's content is read before it. Read again once per batch of checks, not per file.
   */
  private since = Date.now();

  /**
   * `settleMs`: see `SETTLE_MS` (a test gives -Infinity to keep every digest, however recent);
   * `loaded`: the cache file as read ahead (`readCacheFileAhead`), else it is read here, on this thread.
   */
  constructor(
    private readonly inner: DigestPort,
    private readonly file: string,
    private readonly owner: CacheOwner,
    private readonly settleMs = SETTLE_MS,
    loaded?: LoadedCache,
  ) {
    const { table, rejected } = loaded ?? readCacheFile(file, owner);
    this.entries = table;
    this.rejected = rejected;
    this.spool = new DigestSpool(dirname(file));
  }

  /** Entries held in memory. */
  get held(): number {
    return this.entries.size;
  }

  known(stat: FileStat, algo: DigestAlgo): DigestResult | undefined {
    const hex = this.entries.use(stat, algo);
    if (hex === undefined) return undefined;
    this.hits++;
    return { ok: true, hex, size: stat.size };
  }

  async digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult> {
    if (!stat) return this.inner.digest(path, algo);
    const hit = this.known(stat, algo);
    if (hit) return hit;
    const settled = this.settled(stat, Date.now());
    const result = await this.inner.digest(path, algo, stat);
    if (settled && result.ok && result.size === stat.size) this.keep(stat, algo, result.hex);
    return result;
  }

  /** Whether a digest of the file `stat` describes, read after `since` (ms), may be kept: see `SETTLE_MS`. */
  private settled(stat: FileStat, since: number): boolean {
    return timesBefore(stat, (since - this.settleMs) * 1e6);
  }

  /**
   * A content check answered from the cache on a hit: its bytes compared, no text made unless
   * they differ; undefined on a miss. A miss is remembered for the stat asked (the walk's own
   * object), so the `check` that follows it looks nothing up twice.
   */
  checkKnown(stat: FileStat, algo: DigestAlgo, expected: Uint8Array, at: number, length: number): true | DigestResult | undefined {
    const same = this.entries.sameAs(stat, algo, expected, at, length);
    if (same === undefined) {
      this.missed = stat;
      return undefined;
    }
    this.hits++;
    return same || { ok: true, hex: this.entries.use(stat, algo)!, size: stat.size };
  }

  /**
   * A content check answered from the cache on a hit (`checkKnown`); on a miss the inner
   * digester's, whose answer is kept when the file's times are settled (`SETTLE_MS`): a match
   * means the content's digest is the expected one, read from the very file the walk saw (the
   * addon checks that, or says it changed).
   */
  check(path: string, algo: DigestAlgo, stat: FileStat, expected: Uint8Array, at: number, length: number, into: ContentCheck): Promise<void> {
    const known = stat === this.missed ? undefined : this.checkKnown(stat, algo, expected, at, length);
    this.missed = undefined;
    if (known !== undefined) {
      into.answer = known;
      return ANSWERED;
    }
    if (this.inner.check === undefined) {
      return this.digest(path, algo, stat).then((r) => void (into.answer = r.ok && r.hex === hexOf(expected, at, length) ? true : r));
    }
    const settled = this.settled(stat, this.since); // read before this check was asked
    const ready = this.inner.check(path, algo, stat, expected, at, length, into);
    let group = this.asking;
    if (group?.ready !== ready) {
      this.since = Date.now(); // for the checks after this one
      group = this.asking = new AskedChecks(ready);
      this.unsettled.push(group);
      const answered = group;
      // Registered before the caller's wait, so it runs first: the answers are kept before the save.
      ready.then(() => this.answered(answered), () => undefined);
    }
    if (settled) group.push(stat, algo, expected, at, length, into);
    return ready;
  }

  /**
   * Keeps what the groups of checks answered so far found, in the order they were asked (the
   * walk's): a rescan's lookups then meet the entries in the order the file holds them.
   */
  private answered(group: AskedChecks): void {
    group.done = true;
    while (this.unsettled[0]?.done) this.settle(this.unsettled.shift()!);
  }

  /** Keeps what a group of checks found. */
  private settle(group: AskedChecks): void {
    if (this.asking === group) this.asking = undefined;
    const { stats, algos, expected, ats, lengths, intos } = group;
    for (let i = 0; i < intos.length; i++) {
      const answer = intos[i]!.answer;
      const stat = stats[i]!;
      if (answer === true) this.keepBytes(stat, algos[i]!, expected[i]!, ats[i]!, lengths[i]!);
      else if (answer?.ok && answer.size === stat.size) this.keep(stat, algos[i]!, answer.hex);
    }
  }

  /** Keeps a digest a check found to be the expected one, from its bytes. */
  private keepBytes(stat: FileStat, algo: DigestAlgo, bytes: Uint8Array, at: number, length: number): void {
    const code = algoCode(algo);
    if (HEX_LENGTHS[code] !== 2 * length) return; // not this algorithm's digest: the table would drop it too
    if (!this.spool.addBytes(stat, code, bytes, at, length)) this.entries.add(stat, algo, hexOf(bytes, at, length), true);
    this.added++;
  }

  /** Keeps a digest this scan computed, for the save. */
  private keep(stat: FileStat, algo: DigestAlgo, hex: string): void {
    if (!this.spool.add(stat, algo, hex)) this.entries.add(stat, algo, hex, true);
    this.added++;
  }

  flush(): void {
    this.inner.flush?.();
  }

  /** Lets go of every entry (the scan is over and the cache saved): they are megabytes the output need not keep. */
  forget(): void {
    this.entries = new DigestTable();
    this.spool.close();
  }

  /**
   * Writes what this scan used (so entries for files gone or changed drop out), atomically; a
   * file this scan would write back unchanged (it reused every entry and added none) is left
   * alone (measured: rendering and writing 72,000 entries took ~50-70 ms of each rescan).
   */
  save(): void {
    // What is answered, whatever order promises ran in.
    for (const group of this.unsettled.splice(0)) this.settle(group);
    if (this.rejected === undefined && this.added === 0 && this.entries.allUsed) return;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    const table = this.entries;
    let written = false;
    try {
      writeCacheFile(fd, this.owner, [this.spool, { count: table.used, digestBytes: table.usedDigestBytes, write: (column, put) => table.writeUsed(column, put) }]);
      written = true;
    } finally {
      closeSync(fd);
      if (!written) rmSync(temporary, { force: true }); // no half-written file left behind
    }
    renameSync(temporary, this.file);
  }
}
