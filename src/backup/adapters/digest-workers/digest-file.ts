/**
 * Hashing one file, as a digest worker does it (digest-worker.ts runs it in a thread): open
 * without following links and without blocking (never a FIFO), check it is a regular file, read
 * it to its end whatever each read returns, and check it did not change meanwhile.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { createHash, hash as hashOnce } from 'node:crypto';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import { batchPath, batchSize, type DigestBatch, type DigestBatchReply } from './digest-batch.js';
import { testPause } from './test-pause.js';

/** The size and times the scanner saw (its lstat): what was verified must be what is hashed. */
export interface SeenFile {
  /** Device of the file system holding it. */
  readonly dev: bigint;
  /** Inode number. */
  readonly ino: bigint;
  /** Size in bytes. */
  readonly size: bigint;
  /** Last content change, in nanoseconds since the epoch. */
  readonly mtimeNs: bigint;
}

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
 * written return them): it reads until the size fstat gave, and a file whose size or times moved
 * while being read, or since the scanner's lstat (`seen`), is `changed-while-reading`: its
 * digest would claim a modification that is only a write in progress.
 */
export function digestFile(path: Buffer, algo: DigestAlgo, buffer: Buffer, seen?: SeenFile): FileDigest {
  let fd: number | undefined;
  try {
    testPause('open', path);
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const before = fstatSync(fd, { bigint: true });
    // Another file than the one lstat saw (replaced, even by a folder or a FIFO, or a reused
    // descriptor number in a long path), or the same one since written to.
    if (seen && (!same64(seen.dev, before.dev) || !same64(seen.ino, before.ino) || seen.size !== before.size || seen.mtimeNs !== before.mtimeNs)) return CHANGED;
    if (!before.isFile()) return { code: 'EINVAL' };
    testPause('read', path);
    const expected = Number(before.size);
    if (expected <= buffer.length) return readWhole(fd, algo, buffer, expected, before);
    const hash = createHash(algo);
    let size = 0;
    while (size < expected) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, expected - size), null);
      if (n === 0) return CHANGED; // it shrank
      size += n;
      hash.update(buffer.subarray(0, n));
    }
    // One fstat instead of a read to see end of file: a file that grew shows it here.
    if (changed(before, fstatSync(fd, { bigint: true }))) return CHANGED;
    return { hex: hash.digest('hex'), size };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return { code: typeof code === 'string' ? code : 'EIO' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A file that fits the buffer, hashed in one call (most package files: no Hash object per file).
 * Short reads are read on, as in digestFile.
 */
function readWhole(fd: number, algo: DigestAlgo, buffer: Buffer, expected: number, before: BigIntStats): FileDigest {
  let size = 0;
  while (size < expected) {
    const n = readSync(fd, buffer, size, expected - size, null);
    if (n === 0) return CHANGED; // it shrank
    size += n;
  }
  if (changed(before, fstatSync(fd, { bigint: true }))) return CHANGED;
  return { hex: hashOnce(algo, buffer.subarray(0, size)), size };
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
    const seen = batch.hasSeen[i] ? { dev: s[i * 4]!, ino: s[i * 4 + 1]!, size: s[i * 4 + 2]!, mtimeNs: s[i * 4 + 3]! } : undefined;
    const digest = digestFile(batchPath(batch, i), batch.algos[batch.algo[i]!]!, shared, seen);
    results[i] = 'hex' in digest ? digest.hex : digest.code;
    sizes[i] = 'hex' in digest ? digest.size : -1;
  }
  return { results, sizes };
}
