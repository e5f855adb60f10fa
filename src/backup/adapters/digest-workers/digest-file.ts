/**
 * Hashing one file, as a digest worker does it (digest-worker.ts runs it in a thread): open
 * without following links and without blocking (never a FIFO), read it to its end whatever each
 * read returns, then check it is a regular file and did not change since the scanner saw it.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { createHash, hash as hashOnce } from 'node:crypto';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import { batchPath, batchSize, type DigestBatch, type DigestBatchReply, type SeenFile } from './digest-batch.js';
import { testPause } from './test-pause.js';

/** A digest and the bytes read, or the reason there is none (`changed-while-reading`, or the system's code). */
export type FileDigest =
  | {
      /** The digest in lower-case hex. */
      readonly hex: string;
      /** How many bytes were read. */
      readonly size: number;
    }
  | {
      /** Why there is no digest: `changed-while-reading`, or the system's error code. */
      readonly code: string;
    };

const CHANGED = { code: 'changed-while-reading' } as const;

function changed(before: BigIntStats, after: BigIntStats): boolean {
  return before.size !== after.size || before.mtimeNs !== after.mtimeNs || before.ctimeNs !== after.ctimeNs || before.ino !== after.ino;
}

/**
 * The digest of the file at `path`. A short read is not the end (FUSE, NFS and files being
 * written return them): it reads until the size stat gave, and a file whose size or times moved
 * while being read, or since the scanner's lstat (`seen`), is `changed-while-reading`: its
 * digest would claim a modification that is only a write in progress.
 */
export function digestFile(path: Buffer, algo: DigestAlgo, buffer: Buffer, seen?: SeenFile): FileDigest {
  let fd: number | undefined;
  try {
    testPause('open', path);
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (seen) return digestSeen(fd, path, algo, buffer, seen);
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) return { code: 'EINVAL' };
    testPause('read', path);
    const digest = readAll(fd, algo, buffer, Number(before.size));
    // One fstat instead of a read to see end of file: a file that grew shows it here.
    return changed(before, fstatSync(fd, { bigint: true })) ? CHANGED : digest;
  } catch (error) {
    return { code: codeOf(error) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Hashes an open file the scanner saw, with one fstat, after reading: what was read (or failed
 * to be) counts only if the open file is the one lstat saw (not replaced, even by a folder or a
 * FIFO) and unchanged since, which its ctime tells: every write and status change moves it.
 */
function digestSeen(fd: number, path: Buffer, algo: DigestAlgo, buffer: Buffer, seen: SeenFile): FileDigest {
  testPause('read', path);
  let digest: FileDigest;
  try {
    digest = readAll(fd, algo, buffer, Number(seen.size));
  } catch (error) {
    digest = { code: codeOf(error) };
  }
  const after = fstatSync(fd, { bigint: true });
  const same = same64(seen.dev, after.dev) && same64(seen.ino, after.ino) && seen.size === after.size;
  return same && seen.mtimeNs === after.mtimeNs && seen.ctimeNs === after.ctimeNs && after.isFile() ? digest : CHANGED;
}

/** The first `expected` bytes' digest, read whatever each read returns; `changed-while-reading` if there are fewer. */
function readAll(fd: number, algo: DigestAlgo, buffer: Buffer, expected: number): FileDigest {
  let size = 0;
  if (expected <= buffer.length) {
    // Most package files: hashed in one call, no Hash object per file.
    while (size < expected) {
      const n = readSync(fd, buffer, size, expected - size, null);
      if (n === 0) return CHANGED; // it shrank
      size += n;
    }
    return { hex: hashOnce(algo, buffer.subarray(0, size)), size };
  }
  const hash = createHash(algo);
  while (size < expected) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, expected - size), null);
    if (n === 0) return CHANGED;
    size += n;
    hash.update(buffer.subarray(0, n));
  }
  return { hex: hash.digest('hex'), size };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/**
 * Device and inode numbers compared as 64-bit patterns: a batch carries them in a BigInt64Array,
 * where a number past 2^63 reads back negative.
 */
function same64(a: bigint, b: bigint): boolean {
  return a === b || BigInt.asIntN(64, a) === BigInt.asIntN(64, b);
}

let shared: Buffer | undefined;

/** Answers a batch in its order, reading through one 1 MiB buffer per thread. */
export function digestBatch(batch: DigestBatch): DigestBatchReply {
  shared ??= Buffer.alloc(1 << 20);
  const n = batchSize(batch);
  const results = new Array<string>(n);
  const sizes = new Float64Array(n);
  const s = batch.seen;
  for (let i = 0; i < n; i++) {
    const seen = batch.hasSeen[i] ? { dev: s[i * 5]!, ino: s[i * 5 + 1]!, size: s[i * 5 + 2]!, mtimeNs: s[i * 5 + 3]!, ctimeNs: s[i * 5 + 4]! } : undefined;
    const digest = digestFile(batchPath(batch, i), batch.algos[batch.algo[i]!]!, shared, seen);
    results[i] = 'hex' in digest ? digest.hex : digest.code;
    sizes[i] = 'hex' in digest ? digest.size : -1;
  }
  return { results, sizes };
}
