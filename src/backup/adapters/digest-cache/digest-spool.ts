import { closeSync, constants, existsSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { algoCode, HEX_LENGTHS, statWords, WORDS } from './cache-key.js';
import { type CacheColumn, type CacheSource, type PutBytes, writeAll } from './column-writer.js';
import { decodeHex } from './hex-digest.js';

const CHUNK = 64 * 1024;
const KEY_BYTES = WORDS * 4;
/** A row: the key's words, the algorithm code, the digest's bytes (64 at most). */
const MAX_ROW = KEY_BYTES + 1 + 64;
/** Linux's O_TMPFILE, where its value is known (it differs on a few architectures): a file that never has a name. */
const O_TMPFILE = process.platform === 'linux' && ['x64', 'arm64', 'ia32', 'arm'].includes(process.arch) ? 0o20000000 | constants.O_DIRECTORY : undefined;

/**
 * A file that never has a name, in the folder `dir` or, while it does not exist yet, its nearest
 * existing ancestor: no folder is made, and no name appears, where the walk could see it.
 */
function openNameless(dir: string): number {
  if (O_TMPFILE === undefined) throw new Error('no O_TMPFILE here');
  let at = dir;
  while (!existsSync(at)) at = dirname(at);
  return openSync(at, O_TMPFILE | constants.O_RDWR, 0o600);
}
const words = new Uint32Array(WORDS);
const wordBytes = new Uint8Array(words.buffer);
const decoded = new Uint8Array(64);

/** A row of `rows` at `at`: its key's bytes there, its algorithm code after them, then its digest. */
type Row = (rows: Uint8Array, at: number, algo: number) => void;

/** The length of the row at `at` in `rows[..end)`; 0 when it does not end there. */
function rowLength(rows: Uint8Array, at: number, end: number): number {
  if (at + KEY_BYTES + 1 > end) return 0;
  const length = KEY_BYTES + 1 + HEX_LENGTHS[rows[at + KEY_BYTES]!]! / 2;
  return at + length <= end ? length : 0;
}

/** Hands `visit` every whole row in `rows[..end)`; where the first unfinished one starts. */
function visitRows(rows: Uint8Array, end: number, visit: Row): number {
  let at = 0;
  for (let length = rowLength(rows, 0, end); length > 0; length = rowLength(rows, at, end)) {
    visit(rows, at, rows[at + KEY_BYTES]!);
    at += length;
  }
  return at;
}

/**
 * The digests a scan computes, as rows (key words, algorithm code, digest bytes) written as they
 * come to a file without a name (O_TMPFILE beside the cache: the kernel frees it when the process
 * ends, however it ends), for `save` to copy into the cache file's columns. Measured on a whole
 * system: a first scan computes 108,000 digests, and holding them until the save was ~9 MB at the
 * scan's peak. Where no such file can be made, the caller keeps the digests in memory.
 */
export class DigestSpool implements CacheSource {
  private fd: number | undefined;
  /** The file could not be made or written: the caller keeps what comes next in memory. */
  private failed = false;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  /** Bytes of rows in `chunk`, not yet in the file. */
  private pending = 0;
  /** Bytes of whole rows in the file (a chunk that failed half-written is not counted). */
  private written = 0;
  /** Rows kept, in the file or in `chunk`. */
  count = 0;
  /** Bytes of their digests. */
  digestBytes = 0;

  /** `dir` is the cache's folder (which need not exist yet). */
  constructor(private readonly dir: string) {}

  /**
   * Keeps the row of `hex` for the file `stat` describes; false when the file cannot be written
   * (then the caller keeps the digest itself). A digest that is not lower-case hex of the
   * algorithm's length is dropped, as the table would drop it.
   */
  add(stat: FileStat, algo: DigestAlgo, hex: string): boolean {
    if (this.failed || (this.pending + MAX_ROW > CHUNK && !this.flush())) return false;
    const code = algoCode(algo);
    if (hex.length !== HEX_LENGTHS[code] || !decodeHex(hex, decoded)) return true;
    statWords(stat, words);
    const chunk = this.chunk;
    let at = this.pending;
    chunk.set(wordBytes, at);
    chunk[(at += KEY_BYTES)] = code;
    for (let i = 0; i < hex.length / 2; i++) chunk[++at] = decoded[i]!;
    this.pending = at + 1;
    this.count++;
    this.digestBytes += hex.length / 2;
    return true;
  }

  private flush(): boolean {
    try {
      this.fd ??= openNameless(this.dir);
      writeAll(this.fd, this.chunk.subarray(0, this.pending));
      this.written += this.pending;
      this.pending = 0;
      return true;
    } catch {
      this.failed = true;
      return false;
    }
  }

  /** Hands `put` the column `column` of every row kept, in the order they came. */
  write(column: CacheColumn, put: PutBytes): void {
    const offset = column === 'keys' ? 0 : KEY_BYTES;
    const length = column === 'keys' ? KEY_BYTES : 1;
    if (column === 'digests') this.rows((rows, at, algo) => put(rows, at + KEY_BYTES + 1, HEX_LENGTHS[algo]! / 2));
    else this.rows((rows, at) => put(rows, at + offset, length));
  }

  /** Hands `visit` every row kept: those in the file, read back a chunk at a time, then those not yet written. */
  private rows(visit: Row): void {
    if (this.fd !== undefined) {
      const read = Buffer.allocUnsafe(CHUNK);
      let held = 0; // bytes of a row begun in the last chunk, moved to the buffer's start
      for (let position = 0; position < this.written; ) {
        const n = readSync(this.fd, read, held, Math.min(CHUNK - held, this.written - position), position);
        if (n === 0) throw new Error(`the digests spooled beside ${this.dir} ended early`);
        position += n;
        const end = held + n;
        const done = visitRows(read, end, visit);
        read.copy(read, 0, done, end);
        held = end - done;
      }
      if (held > 0) throw new Error(`the digests spooled beside ${this.dir} ended mid-row`);
    }
    visitRows(this.chunk, this.pending, visit);
  }

  /** Lets go of the file and every row kept. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = 0;
    this.written = 0;
    this.count = 0;
    this.digestBytes = 0;
  }
}
