import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';

/**
 * The worker's whole program: for each path of a batch, open without following links and without
 * blocking (never a FIFO), check it is a regular file, hash it in 1 MiB reads. Inline so it runs
 * the same from src and dist.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.alloc(1 << 20);
function digest(path, algo) {
  let fd;
  try {
    fd = fs.openSync(Buffer.from(path, 'latin1'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    const hash = createHash(algo);
    let size = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      size += n;
      hash.update(buffer.subarray(0, n));
      if (n < buffer.length) break; // a short read of a regular file is its end: saves a read per file
    }
    return { hex: hash.digest('hex'), size };
  } catch (error) {
    return { code: (error && error.code) || 'EIO' };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
parentPort.on('message', (batch) => {
  parentPort.postMessage(batch.map(({ id, path, algo }) => ({ id, ...digest(path, algo) })));
});
`;

interface Request {
  id: number;
  path: string;
  algo: DigestAlgo;
}

interface Reply {
  id: number;
  hex?: string;
  size?: number;
  code?: string;
}

const BATCH = 128;

/**
 * Hashes real files in a pool of worker threads, started on first use; paths are host byte
 * strings via `host`. Requests travel in batches (one message per 128 files, measured to matter
 * for small files); a partial batch goes out as soon as the caller waits, or on `flush()`.
 */
export class WorkerDigester implements DigestPort {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, (r: DigestResult) => void>();
  private readonly batches: Request[][] = [];
  private next = 0;
  private turn = 0;
  private flushScheduled = false;

  constructor(
    private readonly host: (path: string) => Buffer,
    // One core stays with the walk; measured on 2 cores: 1 worker hashes 14,400 small files in
    // 0.35 s, 2 in 0.5 s, 4 in 1.1 s (they fight the walk and each other).
    private readonly threads = Math.max(1, Math.min(4, availableParallelism() - 1)),
  ) {}

  private start(): void {
    this.workers = Array.from({ length: this.threads }, () => {
      const worker = new Worker(workerSource, { eval: true });
      worker.on('message', (replies: Reply[]) => replies.forEach((r) => this.settle(r)));
      return worker;
    });
    this.workers.forEach(() => this.batches.push([]));
  }

  private settle({ id, hex, size, code }: Reply): void {
    const done = this.waiting.get(id);
    this.waiting.delete(id);
    done?.(hex !== undefined ? { ok: true, hex, size: BigInt(size ?? 0) } : { ok: false, code: code ?? 'EIO' });
  }

  digest(path: string, algo: DigestAlgo): Promise<DigestResult> {
    if (this.workers.length === 0) this.start();
    const id = this.next++;
    const slot = this.turn;
    const batch = this.batches[slot]!;
    batch.push({ id, path: this.host(path).toString('latin1'), algo });
    if (batch.length >= BATCH) {
      this.send(slot);
      this.turn = (this.turn + 1) % this.workers.length;
    }
    if (!this.flushScheduled) {
      // Runs once the caller really waits (the event loop turns): a partial batch never stalls.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  private send(slot: number): void {
    const batch = this.batches[slot]!;
    if (batch.length === 0) return;
    this.workers[slot]!.postMessage(batch);
    this.batches[slot] = [];
  }

  /** Sends every partial batch now. */
  flush(): void {
    this.batches.forEach((_, slot) => this.send(slot));
  }

  /** Stop the worker threads, so the process can exit. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
