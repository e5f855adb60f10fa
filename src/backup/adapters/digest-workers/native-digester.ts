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
import type { DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { BatchBuilder, type DigestBatch } from './digest-batch.js';
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
  ): Promise<Buffer>;
}

const RECORD = 16 + 128;
const BATCH = 128;

/** The addon, or undefined when it was not built, is turned off, or a test pauses hashing. */
export function loadNativeDigest(env: Readonly<Record<string, string | undefined>> = {}): NativeDigest | undefined {
  return env.WHAT_TO_BACKUP_TEST_HASH_PAUSE ? undefined : loadAddon<NativeDigest>('digest.node', env);
}

/** The addon's answer to a batch, as the port's results, in the batch's order. */
export function parseDigests(answer: Buffer, count: number): DigestResult[] {
  // One string for the whole answer, each digest a slice of it: one call into C++ per batch.
  const text = answer.toString('latin1');
  const results = new Array<DigestResult>(count);
  for (let i = 0; i < count; i++) {
    const r = i * RECORD;
    const status = answer.readInt32LE(r + 8);
    if (status === 0) results[i] = { ok: true, hex: text.slice(r + 16, r + 16 + answer.readUInt32LE(r + 12)), size: BigInt(answer.readDoubleLE(r)) };
    else results[i] = { ok: false, code: status === 1 ? 'changed-while-reading' : getSystemErrorName(status) };
  }
  return results;
}

type Resolve = (r: DigestResult) => void;

/**
 * Hashes real files with the addon; paths are host byte strings via `host`. Requests travel in
 * batches of up to 128 files, as to the worker threads; a partial batch goes out as soon as the
 * caller waits, or on `flush()`. A batch the addon refuses (it cannot happen with the port's
 * algorithms) answers each of its files with the reason.
 */
export class NativeDigester implements DigestPort {
  private readonly filling = new BatchBuilder(BATCH);
  private waiting: Resolve[] = [];
  private readonly flushLater = new NextTurn(() => this.flush());
  private running = 0;
  private readonly queued: { batch: DigestBatch; waiting: Resolve[] }[] = [];

  constructor(
    private readonly host: (path: string) => Buffer,
    private readonly addon: NativeDigest,
    // A batch per core (two at least: one reads while another hashes), four at most. Measured on
    // 2 cores against one batch at a time: a whole-system full scan 12.2-12.6 s against 13.5-13.7 s,
    // the 100k-file rpm fixture 1.38-1.45 s against 1.47-1.53 s.
    private readonly inFlight = Math.min(4, Math.max(2, availableParallelism())),
  ) {}

  digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult> {
    this.filling.add(this.host(path), algo, stat);
    const pending = new Promise<DigestResult>((resolve) => this.waiting.push(resolve));
    if (this.filling.size >= BATCH) this.flush();
    this.flushLater.ask();
    return pending;
  }

  /** Sends the partial batch now. */
  flush(): void {
    if (this.filling.size === 0) return;
    this.queued.push({ batch: this.filling.take(), waiting: this.waiting });
    this.waiting = [];
    this.next();
  }

  /** Starts queued batches while fewer than `inFlight` are hashing. */
  private next(): void {
    while (this.running < this.inFlight && this.queued.length > 0) {
      const { batch, waiting } = this.queued.shift()!;
      this.running += 1;
      this.send(batch)
        .then(
          (answer) => parseDigests(answer, waiting.length).forEach((result, i) => waiting[i]!(result)),
          (error: unknown) => waiting.forEach((done) => done({ ok: false, code: (error as { code?: string }).code ?? 'EIO' })),
        )
        .finally(() => {
          this.running -= 1;
          this.next();
        });
    }
  }

  /** The addon's answer; a batch it refuses (an algorithm this OpenSSL lacks) as a rejection, not a throw. */
  private send(batch: DigestBatch): Promise<Buffer> {
    try {
      return this.addon.digestBatchLater(batch.paths, batch.ends, batch.seen, batch.hasSeen, batch.algo, batch.algos);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Nothing to stop: the thread pool is libuv's. */
  async close(): Promise<void> {}
}
