import { closeSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { type CacheOwner, type CacheRejection, FORMAT, lineCount, type ReadAt, readBytes, readCacheLines, VERSION } from './cache-lines.js';
import { DigestSpool, writeAll } from './digest-spool.js';
import { DigestTable } from './digest-table.js';

export type { CacheOwner, CacheRejection } from './cache-lines.js';

/** Parses a cache file into a map; any malformed line makes the whole file corrupt (an empty map). */
export function parseDigestCache(
  text: string,
  owner: CacheOwner,
): {
  /** Digest by file key (device, inode, size, mtime, ctime, algorithm). */
  entries: Map<string, string>;
  /** Why the file was not used; undefined when it was. */
  rejected: CacheRejection;
} {
  const entries = new Map<string, string>();
  const rejected = readCacheLines(readBytes(Buffer.from(text, 'latin1')), owner, (b, at, keyEnd, hexEnd) => {
    const name = b.toString('latin1', at, keyEnd);
    if (!entries.has(name)) entries.set(name, b.toString('latin1', keyEnd + 1, hexEnd));
  });
  return { entries: rejected === undefined ? entries : new Map(), rejected };
}

/** The header line of a cache file, naming its owner. */
function cacheHeader(owner: CacheOwner): string {
  // Every character past ASCII escaped: the file is written as Latin-1 bytes, and a root named
  // in other scripts must read back as itself.
  const header = JSON.stringify({ format: FORMAT, version: VERSION, machine: owner.machine, root: owner.root }).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${header}\n`;
}

/** The text of a cache file: a header naming its owner, then one `key hex` line per digest. */
export function renderDigestCache(entries: Iterable<[string, string]>, owner: CacheOwner): string {
  let text = cacheHeader(owner);
  for (const [k, hex] of entries) text += `${k} ${hex}\n`;
  return text;
}

/** The entries of the cache file `file`, read a chunk at a time; an empty table when it is absent, unreadable, corrupt or foreign. */
function loadTable(file: string, owner: CacheOwner): { table: DigestTable; rejected: CacheRejection } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { table: new DigestTable(), rejected: 'absent' };
  }
  const table = new DigestTable();
  try {
    const read: ReadAt = (into, offset, length, position) => readSync(fd, into, offset, length, position);
    table.reserve(lineCount(read));
    // Copied out as numbers and bytes, 64 KiB of the file's text at a time.
    const rejected = readCacheLines(read, owner, (b, at, keyEnd, hexEnd, algo) => table.addLine(b, at, keyEnd + 1, hexEnd, algo));
    return { table: rejected === undefined ? table : new DigestTable(), rejected }; // never half-trusted
  } catch {
    return { table: new DigestTable(), rejected: 'absent' }; // not readable (a folder, an I/O error)
  } finally {
    closeSync(fd);
  }
}

/**
 * Remembers digests by device, inode, size, mtime and ctime (any write changes the ctime), so a
 * rescan hashes only what changed. Loaded from and saved to one file, the scanner's only write
 * (what a scan computes waits for the save in a spool beside it, a file without a name).
 */
export class CachingDigester implements DigestPort {
  /** The entries read from the cache file (and those computed when the spool cannot be written). */
  private entries: DigestTable;
  /** The digests this scan computed, as lines in a file of their own until the save. */
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
    const { table, rejected } = loadTable(file, owner);
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
    if (result.ok && result.size === stat.size) {
      if (!this.spool.add(stat, algo, result.hex)) this.entries.add(stat, algo, result.hex, true);
      this.added++;
    }
    return result;
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
    try {
      writeSync(fd, cacheHeader(this.owner), null, 'latin1');
      this.spool.drain((chunk) => writeAll(fd, chunk));
      this.entries.writeUsed((chunk) => writeAll(fd, chunk));
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
  }
}

