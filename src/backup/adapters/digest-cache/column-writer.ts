/**
 * Writes a cache file's bytes through one 64 KiB buffer, keeping the SHA-256 of everything
 * written, which ends the file: a reader takes a file whose bytes do not hash to it for corrupt.
 * @module
 */
import { writeSync } from 'node:fs';
import { nodeCrypto } from '#backup/adapters/native-walker/sha256-of.js';

/** A column of the cache file: every entry's key words, then every algorithm code, then every digest. */
export type CacheColumn = 'keys' | 'algos' | 'digests';

/** Takes `length` bytes of `bytes` from `at` (copied at once: the caller may reuse them). */
export type PutBytes = (bytes: Uint8Array, at: number, length: number) => void;

/** Entries bound for the cache file: how many, their digests' bytes, and each column of them. */
export interface CacheSource {
  /** Entries it writes. */
  readonly count: number;
  /** Bytes of their digests. */
  readonly digestBytes: number;
  /** Hands `put` the column `column` of its entries, in the same entry order for every column. */
  write(column: CacheColumn, put: PutBytes): void;
}

/** The checksum's length: a SHA-256. */
export const CHECKSUM_BYTES = 32;
const CHUNK = 64 * 1024;

/** Writes all of `bytes` (writeSync may write less than asked). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/** Bytes to a file descriptor, a chunk at a time, hashed as they go. */
export class ColumnWriter {
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private sent = 0;
  private readonly hash = nodeCrypto().createHash('sha256');

  constructor(private readonly fd: number) {}

  /** Takes bytes to write (a `PutBytes`). */
  readonly put: PutBytes = (bytes, at, length) => {
    if (this.used + length > CHUNK) this.flush();
    if (length > CHUNK) return this.send(bytes.subarray(at, at + length));
    const chunk = this.chunk;
    if (length > 64) chunk.set(bytes.subarray(at, at + length), this.used);
    else for (let i = 0; i < length; i++) chunk[this.used + i] = bytes[at + i]!; // a loop beats set() for a few bytes
    this.used += length;
  };

  private flush(): void {
    this.send(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  private send(bytes: Uint8Array): void {
    this.hash.update(bytes);
    writeAll(this.fd, bytes);
    this.sent += bytes.length;
  }

  /** Writes what it holds, then the checksum of every byte before it; how many bytes came before it. */
  end(): number {
    this.flush();
    writeAll(this.fd, this.hash.digest());
    return this.sent;
  }
}
