/**
 * Hashing file content, to compare with the digests packages record. Every path here is a byte string (see entry/entry.ts): one character per byte, so
 * any name a file system holds survives exactly. Paths are the scanned system's own (`/etc/passwd`),
 * whatever directory an adapter maps them to.
 * @module
 */

import type { FileStat } from './file-system.port.js';

/** The content digests rpm records, named after rpm's FILEDIGESTALGO numbers. */
export type DigestAlgo = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** A file's digest, or why it could not be read. */
export type DigestResult =
  | {
      /** The file was read to the end. */
      readonly ok: true;
      /** The digest in lower-case hex. */
      readonly hex: string;
      /** How many bytes were read. */
      readonly size: bigint;
    }
  | {
      /** The file could not be read. */
      readonly ok: false;
      /** The system's error code, e.g. `EACCES`. */
      readonly code: string;
    };

/** One content check asked with `DigestPort.check`: its answer is set in place when its batch is answered. */
export interface ContentCheck {
  /**
   * Undefined until answered; then `true` when the content's digest is the one expected, else the
   * digest found (which differs) or why there is none.
   */
  answer: true | DigestResult | undefined;
}

/** Hashes file content (the real adapter does it in worker threads, reading each file once). */
export interface DigestPort {
  /** `stat` is the lstat the scanner saw, so a cache can tell whether the file changed since. */
  digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult>;
  /** Starts any requests held back for batching; the scanner calls it before it waits. */
  flush?(): void;
  /** A digest known without reading (a cache hit), answered at once; undefined when not known. */
  known?(stat: FileStat, algo: DigestAlgo): DigestResult | undefined;
  /**
   * Compares a file's content with the digest expected, `expected[at..at+length)` (at most 64
   * bytes), answering on `into` (no digest text when it matches); the promise, shared by many
   * checks, resolves once `into` is answered. For many files at a time, without an object per
   * answer: only where the digest itself is not wanted (a cache would want it).
   */
  check?(path: string, algo: DigestAlgo, stat: FileStat, expected: Uint8Array, at: number, length: number, into: ContentCheck): Promise<void>;
  /**
   * A content check (as `check`) answered at once from a digest known without reading (a cache
   * hit): `true` when it is `expected[at..at+length)`, else that digest; undefined when none is
   * known. No object, text or promise on a match: a rescan asks it of nearly every owned file.
   */
  checkKnown?(stat: FileStat, algo: DigestAlgo, expected: Uint8Array, at: number, length: number): true | DigestResult | undefined;
}
