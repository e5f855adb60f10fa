/**
 * Hashing one file, as a digest worker does it (digest-worker.ts runs it in a thread): open
 * without following links and without blocking (never a FIFO), check it is a regular file, read
 * it to its end whatever each read returns, and check it did not change meanwhile.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { createHash } from 'node:crypto';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
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

/** One file to hash, as the pool sends it to a worker: the host path as a byte string. */
export interface DigestRequest {
  /** Names the request in the reply. */
  readonly id: number;
  /** The host path, one character per byte. */
  readonly path: string;
  /** The digest to compute. */
  readonly algo: DigestAlgo;
  /** What the scanner saw, when it says. */
  readonly seen?: SeenFile | undefined;
}

/** A worker's answer to one {@link DigestRequest}. */
export type DigestReply = {
  /** The request's id. */
  readonly id: number;
} & FileDigest;

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
    if (seen && (seen.dev !== before.dev || seen.ino !== before.ino || seen.size !== before.size || seen.mtimeNs !== before.mtimeNs)) return CHANGED;
    if (!before.isFile()) return { code: 'EINVAL' };
    testPause('read', path);
    const hash = createHash(algo);
    let size = 0;
    const expected = Number(before.size);
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

let shared: Buffer | undefined;

/** Answers one request, reading through one 1 MiB buffer per thread. */
export function digestRequest(request: DigestRequest): DigestReply {
  shared ??= Buffer.alloc(1 << 20);
  return { id: request.id, ...digestFile(Buffer.from(request.path, 'latin1'), request.algo, shared, request.seen) };
}
