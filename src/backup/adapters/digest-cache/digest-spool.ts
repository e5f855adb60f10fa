import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { algoCode, HEX_LENGTHS, statWords, WORDS } from './cache-key.js';
import { decodeHex, MAX_LINE, writeLine } from './line-text.js';

const CHUNK = 64 * 1024;
const words = new Uint32Array(WORDS);
const decoded = new Uint8Array(64);

/** Writes all of `chunk` (writeSync may write less than asked). */
export function writeAll(fd: number, chunk: Buffer): void {
  for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
}

/**
 * The cache lines of the digests a scan computes, written as they come to a file without a name
 * (opened beside the cache, then unlinked at once: the kernel frees it when the process ends,
 * however it ends), for `save` to copy into the cache file. Measured on a whole system: a first
 * scan computes 108,000 digests, and holding them until the save was ~9 MB at the scan's peak.
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

  /** `path` names the file while it is opened (in the cache's folder, which is made if needed). */
  constructor(private readonly path: string) {}

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
      if (this.fd === undefined) {
        mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.path, 'w+', 0o600);
        unlinkSync(this.path);
      }
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
        if (n === 0) throw new Error(`${this.path}: the spooled digests ended early`);
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
