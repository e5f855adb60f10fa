/**
 * Hashing in the native addon (src/backup/adapters/native-walker/digest.c, built by node-gyp from
 * source at install) on libuv's thread pool: the same batches and the same checks as the worker
 * threads (digest-file.ts), without a thread of JavaScript, its start-up, or a message each way
 * per batch. Absent when the addon was not built, with `WHAT_TO_BACKUP_NATIVE=0`, or while a test
 * holds hashing at a pause point (test-pause.ts lives in the JavaScript path only).
 * @module
 */
import { availableParallelism } from 'node:os';
import { getSystemErrorName } from 'node:util';
import type { ContentCheck, DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { BatchBuilder, EXPECTED, type DigestBatch, type WriteHost } from './digest-batch.js';
import { NextTurn } from './next-turn.js';
import { loadAddon } from '#backup/adapters/native-walker/load-addon.js';

/** The addon: hashes a batch's files, answering one record per file (layout in digest.c). */
export interface NativeDigest {
  /** Reads and hashes every file of the batch on the thread pool; the promise rejects only on a bad batch. */
  digestBatchLater(
    paths: Uint8Array,
    ends: Uint32Array,
    seen: BigInt64Array,
    hasSeen: Uint8Array,
    algo: Uint8Array,
    algos: readonly DigestAlgo[],
    expected?: Uint8Array,
    expectedLength?: Uint8Array,
  ): Promise<Buffer>;
}

const RECORD = 16 + 128;
const BATCH = 128;

/** The addon, or undefined when it was not built, is turned off, or a test pauses hashing. */
export function loadNativeDigest(env: Readonly<Record<string, string | undefined>> = {}): NativeDigest | undefined {
  return env.WHAT_TO_BACKUP_TEST_HASH_PAUSE ? undefined : loadAddon<NativeDigest>('digest.node', env);
}

/** The addon's status for a file whose digest is the one expected. */
const MATCHES = 2;

/** File `i`'s record of the addon's answer as the port's result, its digest a slice of `text` (the answer as latin1) or read alone; not for a match. */
function resultAt(answer: Buffer, text: string | undefined, i: number): DigestResult {
  const r = i * RECORD;
  const status = answer.readInt32LE(r + 8);
  if (status !== 0) return { ok: false, code: status === 1 ? 'changed-while-reading' : getSystemErrorName(status) };
  const end = r + 16 + answer.readUInt32LE(r + 12);
  return { ok: true, hex: text === undefined ? answer.toString('latin1', r + 16, end) : text.slice(r + 16, end), size: BigInt(answer.readDoubleLE(r)) };
}

/** Answers a batch's files in order: a digest asked for (its resolve) or a check (answered in place). */
function answerAll(answer: Buffer, waiting: readonly Waiting[]): void {
  // Digests asked for: one string for the whole answer, each a slice of it (one call into C++ per batch).
  // Checks: a digest only for the rare file that differs, read alone (the whole answer is 18 KiB).
  let text: string | undefined;
  for (let i = 0; i < waiting.length; i++) {
    const to = waiting[i]!;
    if (typeof to === 'function') to(resultAt(answer, (text ??= answer.toString('latin1')), i));
    else to.answer = answer.readInt32LE(i * RECORD + 8) === MATCHES ? true : resultAt(answer, text, i);
  }
}

type Resolve = (r: DigestResult) => void;
/** A batch waiting for its turn, who waits for its files, and what to call once its checks are answered. */
type Queued = { batch: DigestBatch; waiting: Waiting[]; checked: (() => void) | undefined };
/** Who waits for one file of a batch: a digest's promise, or a content check. */
type Waiting = Resolve | ContentCheck;

/** A promise and its resolve, for a batch's checks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Hashes real files with the addon; paths are host byte strings via `host`. Requests travel in
 * batches of up to 128 files, as to the worker threads; a partial batch goes out as soon as the
 * caller waits, or on `flush()`. A batch the addon refuses (it cannot happen with the port's
 * algorithms) answers each of its files with the reason.
 */
export class NativeDigester implements DigestPort {
  private readonly filling = new BatchBuilder(BATCH);
  private waiting: Waiting[] = [];
  /** Resolved once the filling batch's checks are answered; made by its first check. */
  private checked: ReturnType<typeof deferred> | undefined;
  private readonly flushLater = new NextTurn(() => this.flush());
  private running = 0;
  private readonly queued: Queued[] = [];

  constructor(
    private readonly host: (path: string) => Buffer,
    private readonly addon: NativeDigest,
    // A batch per core (two at least: one reads while another hashes), four at most. Measured on
    // 2 cores against one batch at a time: a whole-system full scan 12.2-12.6 s against 13.5-13.7 s,
    // the 100k-file rpm fixture 1.38-1.45 s against 1.47-1.53 s.
    private readonly inFlight = Math.min(4, Math.max(2, availableParallelism())),
    /** Writes a path's host bytes straight into a batch, no Buffer per file (NodeFileSystem.writeHost). */
    private readonly writeHost?: WriteHost,
  ) {}

  /** One file into the filling batch. */
  private put(path: string, algo: DigestAlgo, stat?: FileStat, expected?: Uint8Array, at = 0, length = 0): void {
    if (this.writeHost === undefined || !this.filling.addWritten(this.writeHost, path, algo, stat, expected, at, length)) {
      this.filling.add(this.host(path), algo, stat, expected, at, length);
    }
  }

  digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult> {
    this.put(path, algo, stat);
    const pending = new Promise<DigestResult>((resolve) => this.waiting.push(resolve));
    this.added();
    return pending;
  }

  /** Compared in the addon: a match costs no digest text, no result object and no promise of its own. */
  check(path: string, algo: DigestAlgo, stat: FileStat, expected: Uint8Array, at: number, length: number, into: ContentCheck): Promise<void> {
    if (length > EXPECTED) throw new RangeError(`an expected digest of ${length} bytes`);
    this.put(path, algo, stat, expected, at, length);
    this.waiting.push(into);
    const checked = (this.checked ??= deferred());
    this.added();
    return checked.promise;
  }

  private added(): void {
    if (this.filling.size >= BATCH) this.flush();
    this.flushLater.ask();
  }

  /** Sends the partial batch now. */
  flush(): void {
    if (this.filling.size === 0) return;
    this.queued.push({ batch: this.filling.take(), waiting: this.waiting, checked: this.checked?.resolve });
    this.waiting = [];
    this.checked = undefined;
    this.next();
  }

  /** Starts queued batches while fewer than `inFlight` are hashing. */
  private next(): void {
    while (this.running < this.inFlight && this.queued.length > 0) {
      const { batch, waiting, checked } = this.queued.shift()!;
      this.running += 1;
      this.send(batch)
        .then(
          (answer) => answerAll(answer, waiting),
          (error: unknown) => {
            const failed: DigestResult = { ok: false, code: (error as { code?: string }).code ?? 'EIO' };
            for (const to of waiting) typeof to === 'function' ? to(failed) : (to.answer = failed);
          },
        )
        .finally(() => {
          checked?.();
          this.running -= 1;
          this.next();
        });
    }
  }

  /** The addon's answer; a batch it refuses (an algorithm this OpenSSL lacks) as a rejection, not a throw. */
  private send(batch: DigestBatch): Promise<Buffer> {
    try {
      return this.addon.digestBatchLater(batch.paths, batch.ends, batch.seen, batch.hasSeen, batch.algo, batch.algos, batch.expected, batch.expectedLength);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Nothing to stop: the thread pool is libuv's. */
  async close(): Promise<void> {}
}
