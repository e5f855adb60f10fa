import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { algoCode, HEX_LENGTHS, statWords, WORDS } from './cache-key.js';
import { decodeHex, MAX_LINE, writeLine } from './line-text.js';

const CHUNK = 64 * 1024;
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
const decoded = new Uint8Array(64);

/** Writes all of `chunk` (writeSync may write less than asked). */
export function writeAll(fd: number, chunk: Buffer): void {
  for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
}

/**
 * The cache lines of the digests a scan computes, written as they come to a file without a name
 * (O_TMPFILE beside the cache: the kernel frees it when the process ends, however it ends), for
 * `save` to copy into the cache file. Measured on a whole system: a first scan computes 108,000
 * digests, and holding them until the save was ~9 MB at the scan's peak. Where no such file can
 * be made, the caller keeps the digests in memory.
 */
export class DigestSpool {
  private fd: number | undefined;
  /** The file could not be made or written: the caller keeps what comes next in memory. */
  private failed = false;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  /** Bytes of lines in `chunk`, not yet in the file. */
  private pending = 0;
  /** Bytes of whole lines in the file (a chunk that failed half-written is not counted). */
  private written = 0;

  /** `dir` is the cache's folder (which need not exist yet). */
  constructor(private readonly dir: string) {}

  /**
   * Keeps the line of `hex` for the file `stat` describes; false when the file cannot be written
   * (then the caller keeps the digest itself). A digest that is not lower-case hex of the
   * algorithm's length is dropped, as the table would drop it.
   */
  add(stat: FileStat, algo: DigestAlgo, hex: string): boolean {
    if (this.failed || (this.pending + MAX_LINE > CHUNK && !this.flush())) return false;
    const code = algoCode(algo);
    if (hex.length !== HEX_LENGTHS[code] || !decodeHex(hex, decoded)) return true;
    statWords(stat, words);
    this.pending = writeLine(this.chunk, this.pending, words, 0, code, decoded, 0, hex.length / 2);
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

  /** Hands `write` every line kept, in chunks of at most 64 KiB; then lets go of the file. */
  drain(write: (chunk: Buffer) => void): void {
    if (this.fd !== undefined) {
      const read = Buffer.allocUnsafe(CHUNK);
      for (let at = 0; at < this.written; ) {
        const n = readSync(this.fd, read, 0, Math.min(CHUNK, this.written - at), at);
        if (n === 0) throw new Error(`the digests spooled beside ${this.dir} ended early`);
        write(read.subarray(0, n));
        at += n;
      }
    }
    if (this.pending > 0) write(this.chunk.subarray(0, this.pending));
    this.close();
  }

  /** Lets go of the file and every line kept. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = 0;
    this.written = 0;
  }
}
