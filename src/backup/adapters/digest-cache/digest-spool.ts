import { closeSync, constants, existsSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { algoCode, HEX_LENGTHS, statWords, WORDS } from './cache-key.js';
import { type CacheColumn, type CacheSource, type PutBytes, writeAll } from './column-writer.js';
import { decodeHex } from './hex-digest.js';

const KEY_BYTES = WORDS * 4;
/** Rows a block holds: its columns come to about 64 KiB at most. */
const BLOCK = 600;
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

/** A block in the file: where it starts, its rows, and its digests' bytes (its keys, then algorithm codes, then digests). */
interface Block {
  readonly at: number;
  readonly rows: number;
  readonly digestBytes: number;
}

/** Where a column starts in a block, and its length. */
function region(column: CacheColumn, rows: number, digestBytes: number): [number, number] {
  if (column === 'keys') return [0, rows * KEY_BYTES];
  return column === 'algos' ? [rows * KEY_BYTES, rows] : [rows * (KEY_BYTES + 1), digestBytes];
}

/**
 * The digests a scan computes, kept as they come in blocks of columns (key words, algorithm
 * codes, digest bytes) written to a file without a name (O_TMPFILE beside the cache: the kernel
 * frees it when the process ends, however it ends), for `save` to copy into the cache file's
 * columns a block's column at a time (visiting each row instead took ~50 ms of a first scan's
 * save, 72,000 digests). Measured on a whole system: a first scan computes 108,000 digests, and
 * holding them until the save was ~9 MB at the scan's peak. Where no such file can be made, the
 * caller keeps the digests in memory.
 */
export class DigestSpool implements CacheSource {
  private fd: number | undefined;
  /** The file could not be made or written: the caller keeps what comes next in memory. */
  private failed = false;
  /** The block being filled: its columns apart, joined when it is written. */
  private readonly keys = new Uint8Array(BLOCK * KEY_BYTES);
  private readonly algos = new Uint8Array(BLOCK);
  private readonly digests = new Uint8Array(BLOCK * 64);
  private rows = 0;
  private rowDigestBytes = 0;
  /** The blocks in the file (one that failed half-written is not among them). */
  private readonly blocks: Block[] = [];
  private written = 0;
  /** Rows kept, in the file or in the block being filled. */
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
    const code = algoCode(algo);
    if (hex.length !== HEX_LENGTHS[code] || !decodeHex(hex, decoded)) return !(this.failed || (this.rows === BLOCK && !this.flush()));
    return this.addBytes(stat, code, decoded, 0, hex.length / 2);
  }

  /**
   * Keeps the row of the digest `bytes[at..at+length)` of algorithm `code` (its length the
   * algorithm's: the caller checked) for the file `stat` describes, as `add`, without its text.
   */
  addBytes(stat: FileStat, code: number, bytes: Uint8Array, at: number, length: number): boolean {
    if (this.failed || (this.rows === BLOCK && !this.flush())) return false;
    statWords(stat, words);
    const row = this.rows++;
    this.keys.set(wordBytes, row * KEY_BYTES);
    this.algos[row] = code;
    const digests = this.digests;
    for (let i = 0, d = this.rowDigestBytes; i < length; i++) digests[d + i] = bytes[at + i]!;
    this.rowDigestBytes += length;
    this.count++;
    this.digestBytes += length;
    return true;
  }

  private flush(): boolean {
    try {
      this.fd ??= openNameless(this.dir);
      writeAll(this.fd, Buffer.concat([this.keys.subarray(0, this.rows * KEY_BYTES), this.algos.subarray(0, this.rows), this.digests.subarray(0, this.rowDigestBytes)]));
      const block = { at: this.written, rows: this.rows, digestBytes: this.rowDigestBytes };
      this.blocks.push(block);
      this.written += block.rows * (KEY_BYTES + 1) + block.digestBytes;
      this.rows = 0;
      this.rowDigestBytes = 0;
      return true;
    } catch {
      this.failed = true;
      return false;
    }
  }

  /** Hands `put` the column `column` of every row kept, in the order they came: a block's column at a time. */
  write(column: CacheColumn, put: PutBytes): void {
    if (this.fd !== undefined) {
      const read = Buffer.allocUnsafe(BLOCK * 64);
      for (const block of this.blocks) {
        const [offset, length] = region(column, block.rows, block.digestBytes);
        const into = read.subarray(0, length);
        for (let at = 0; at < length; ) {
          const n = readSync(this.fd, into, at, length - at, block.at + offset + at);
          if (n === 0) throw new Error(`the digests spooled beside ${this.dir} ended early`);
          at += n;
        }
        put(into, 0, length);
      }
    }
    if (column === 'keys') put(this.keys, 0, this.rows * KEY_BYTES);
    else if (column === 'algos') put(this.algos, 0, this.rows);
    else put(this.digests, 0, this.rowDigestBytes);
  }

  /** Lets go of the file and every row kept. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.blocks.length = 0;
    this.written = 0;
    this.rows = 0;
    this.rowDigestBytes = 0;
    this.count = 0;
    this.digestBytes = 0;
  }
}
