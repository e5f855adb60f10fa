/**
 * A batch of files to hash as one message between the pool and a worker: flat arrays rather than
 * an object per file, so neither thread allocates (and collects) objects per file for it. On the
 * 100k-file fixture the objects per file cost the scan more CPU time than the hashing.
 */
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';

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
  /** Last change of content or status, in nanoseconds since the epoch: any write moves it. */
  readonly ctimeNs: bigint;
  /**
   * Writes dev, ino, size, mtimeNs and ctimeNs, as the bigints above would be stored in a
   * BigInt64Array, into `words` (two little-endian 32-bit words each) from word `at`: for a stat
   * that holds them as raw numbers (the native walker's), so none is made a bigint.
   */
  writeSeen?(words: Int32Array, at: number): void;
}

/**
 * Writes the host path of a scanned-system path into `into` from `at` when it fits there; returns
 * its length (written or not), or -1 when it cannot be written (NodeFileSystem.writeHost).
 */
export type WriteHost = (path: string, into: Buffer, at: number) => number;

/** Whether int64s are stored low word first here, so `writeSeen`'s words make them. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** What a batch asks: the host paths back to back, and what the scanner saw of each. */
export interface DigestBatch {
  /** The host paths' bytes, back to back. */
  readonly paths: Uint8Array;
  /** Where each path ends in `paths`; the next starts there. */
  readonly ends: Uint32Array;
  /** Per file, dev, ino, size, mtime and ctime in nanoseconds as the scanner's lstat saw them. */
  readonly seen: BigInt64Array;
  /** Per file, 1 when `seen` says what the scanner saw, 0 when it says nothing. */
  readonly hasSeen: Uint8Array;
  /** Per file, its algorithm as an index into `algos`. */
  readonly algo: Uint8Array;
  /** The algorithms the batch uses. */
  readonly algos: readonly DigestAlgo[];
  /** Per file, the digest expected (EXPECTED bytes each, `expectedLength` of them used); absent when no file has one. */
  readonly expected?: Uint8Array;
  /** Per file, how many bytes of `expected` it has; 0: none, the digest is answered whatever it is. */
  readonly expectedLength?: Uint8Array;
}

/** Room for one file's expected digest in a batch: the longest digest (sha512). */
export const EXPECTED = 64;

/** A worker's answer to a batch, in its order: a digest in hex and its size, or a reason and -1. */
export interface DigestBatchReply {
  /** Per file, the digest in lower-case hex, or why there is none. */
  readonly results: string[];
  /** Per file, how many bytes were hashed; -1 when `results` holds a reason. */
  readonly sizes: Float64Array;
}

/** The host path of file `i` of a batch, as a Buffer over the batch's bytes (no copy). */
export function batchPath(batch: DigestBatch, i: number): Buffer {
  const start = i === 0 ? 0 : batch.ends[i - 1]!;
  return Buffer.from(batch.paths.buffer, batch.paths.byteOffset + start, batch.ends[i]! - start);
}

/** How many files a batch holds. */
export function batchSize(batch: DigestBatch): number {
  return batch.ends.length;
}

/** Fills one batch, file by file, into arrays sized for `capacity` files. */
export class BatchBuilder {
  private paths = Buffer.allocUnsafe(1 << 14);
  private length = 0;
  private count = 0;
  private readonly ends: Uint32Array;
  private readonly seen: BigInt64Array;
  /** `seen`'s bytes as 32-bit words, for `writeSeen`. */
  private readonly seenWords: Int32Array;
  private readonly hasSeen: Uint8Array;
  private readonly algo: Uint8Array;
  private readonly algos: DigestAlgo[] = [];
  private readonly expected: Uint8Array;
  private readonly expectedLength: Uint8Array;
  /** Whether a file of this batch has an expected digest. */
  private expecting = false;

  constructor(private readonly capacity: number) {
    this.expected = new Uint8Array(capacity * EXPECTED);
    this.expectedLength = new Uint8Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.seen = new BigInt64Array(capacity * 5);
    this.seenWords = new Int32Array(this.seen.buffer);
    this.hasSeen = new Uint8Array(capacity);
    this.algo = new Uint8Array(capacity);
  }

  /** How many files are in. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds one file, with the digest it should have when `expected` holds it at `at` (`length` bytes,
   * at most EXPECTED); the caller sends the batch before it holds `capacity` files.
   */
  add(path: Buffer, algo: DigestAlgo, seen?: SeenFile, expected?: Uint8Array, at = 0, length = 0): void {
    this.room(path.length);
    this.length += path.copy(this.paths, this.length);
    this.addFile(algo, seen, expected, at, length);
  }

  /**
   * `add`, the host path of `path` written into the batch by `write` (NodeFileSystem.writeHost), no
   * Buffer made; false, adding nothing, when `write` cannot (a long path: `add` its `host`).
   */
  addWritten(write: WriteHost, path: string, algo: DigestAlgo, seen?: SeenFile, expected?: Uint8Array, at = 0, length = 0): boolean {
    let n = write(path, this.paths, this.length);
    if (n < 0) return false;
    if (this.length + n > this.paths.length) {
      this.room(n);
      n = write(path, this.paths, this.length);
    }
    this.length += n;
    this.addFile(algo, seen, expected, at, length);
    return true;
  }

  private room(bytes: number): void {
    if (this.length + bytes > this.paths.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.paths.length * 2, this.length + bytes));
      this.paths.copy(bigger, 0, 0, this.length);
      this.paths = bigger;
    }
  }

  private addFile(algo: DigestAlgo, seen: SeenFile | undefined, expected: Uint8Array | undefined, at: number, length: number): void {
    const i = this.count++;
    this.ends[i] = this.length;
    let a = this.algos.indexOf(algo);
    if (a < 0) a = this.algos.push(algo) - 1;
    this.algo[i] = a;
    this.hasSeen[i] = seen ? 1 : 0;
    this.expectedLength[i] = expected ? length : 0;
    if (expected && length > 0) {
      // Byte by byte: a subarray to copy from would be an object per file.
      for (let b = 0; b < length; b++) this.expected[i * EXPECTED + b] = expected[at + b]!;
      this.expecting = true;
    }
    if (seen?.writeSeen && LITTLE_ENDIAN) seen.writeSeen(this.seenWords, i * 10);
    else if (seen) {
      this.seen[i * 5] = seen.dev;
      this.seen[i * 5 + 1] = seen.ino;
      this.seen[i * 5 + 2] = seen.size;
      this.seen[i * 5 + 3] = seen.mtimeNs;
      this.seen[i * 5 + 4] = seen.ctimeNs;
    }
  }

  /** The batch so far, as its own copies, and starts again empty. */
  take(): DigestBatch {
    const n = this.count;
    const batch: DigestBatch = {
      paths: Uint8Array.prototype.slice.call(this.paths, 0, this.length),
      ends: this.ends.slice(0, n),
      seen: this.seen.slice(0, n * 5),
      hasSeen: this.hasSeen.slice(0, n),
      algo: this.algo.slice(0, n),
      algos: this.algos.splice(0),
      ...(this.expecting ? { expected: this.expected.slice(0, n * EXPECTED), expectedLength: this.expectedLength.slice(0, n) } : {}),
    };
    this.expecting = false;
    this.length = 0;
    this.count = 0;
    return batch;
  }
}

/** A batch of one file per file of `batch`, in order: to find which file kills a worker. */
export function splitBatch(batch: DigestBatch): DigestBatch[] {
  const single = new BatchBuilder(1);
  return Array.from({ length: batchSize(batch) }, (_, i) => {
    const s = batch.seen;
    const seen = batch.hasSeen[i] ? { dev: s[i * 5]!, ino: s[i * 5 + 1]!, size: s[i * 5 + 2]!, mtimeNs: s[i * 5 + 3]!, ctimeNs: s[i * 5 + 4]! } : undefined;
    single.add(batchPath(batch, i), batch.algos[batch.algo[i]!]!, seen);
    return single.take();
  });
}
