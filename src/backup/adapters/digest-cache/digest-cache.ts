import { closeSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContentCheck, DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { type CacheOwner, type CacheRejection, readCacheFile, writeCacheFile } from './cache-file.js';
import { DigestSpool } from './digest-spool.js';
import { DigestTable } from './digest-table.js';

export type { CacheOwner, CacheRejection } from './cache-file.js';

/** What a check answered from the cache returns: nothing to wait for. */
const ANSWERED = Promise.resolve();

/** The hex text of `bytes[at..at+length)`. */
function hexOf(bytes: Uint8Array, at: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + at, length).toString('hex');
}

/**
 * Remembers digests by device, inode, size, mtime and ctime (any write changes the ctime), so a
 * rescan hashes only what changed. Loaded from and saved to one file, the scanner's only write
 * (what a scan computes waits for the save in a spool beside it, a file without a name).
 */
export class CachingDigester implements DigestPort {
  /** The entries read from the cache file (and those computed when the spool cannot be written). */
  private entries: DigestTable;
  /** The digests this scan computed, as rows in a file of their own until the save. */
  private readonly spool: DigestSpool;
  /** Entries the file held. */
  private readonly loaded: number;
  /** Why the cache file was not used; undefined when it was. */
  readonly rejected: CacheRejection;
  /** How many digests came from the cache instead of reading the file. */
  hits = 0;
  /** Digests this scan computed and kept: the file needs writing. */
  private added = 0;

  constructor(
    private readonly inner: DigestPort,
    private readonly file: string,
    private readonly owner: CacheOwner,
  ) {
    const { table, rejected } = readCacheFile(file, owner);
    this.entries = table;
    this.rejected = rejected;
    this.loaded = this.entries.size;
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
    const result = await this.inner.digest(path, algo, stat);
    if (result.ok && result.size === stat.size) this.keep(stat, algo, result.hex);
    return result;
  }

  /**
   * A content check answered from the cache on a hit (its bytes compared, no text made); on a
   * miss the inner digester's, whose answer is kept: a match means the content's digest is the
   * expected one, read from the very file the walk saw (the addon checks that, or says it changed).
   */
  check(path: string, algo: DigestAlgo, stat: FileStat, expected: Uint8Array, at: number, length: number, into: ContentCheck): Promise<void> {
    const same = this.entries.sameAs(stat, algo, expected, at, length);
    if (same !== undefined) {
      this.hits++;
      into.answer = same || { ok: true, hex: this.entries.use(stat, algo)!, size: stat.size };
      return ANSWERED;
    }
    if (this.inner.check === undefined) {
      return this.digest(path, algo, stat).then((r) => void (into.answer = r.ok && r.hex === hexOf(expected, at, length) ? true : r));
    }
    return this.inner.check(path, algo, stat, expected, at, length, into).then(() => {
      const answer = into.answer!;
      if (answer === true) this.keep(stat, algo, hexOf(expected, at, length));
      else if (answer.ok && answer.size === stat.size) this.keep(stat, algo, answer.hex);
    });
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
    if (this.rejected === undefined && this.added === 0 && this.entries.used === this.loaded) return;
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
