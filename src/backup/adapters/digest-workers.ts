import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DigestAlgo, DigestPort, DigestResult } from '../domain/ports.js';

/**
 * The worker's whole program: open without following links and without blocking (never a FIFO),
 * check it is a regular file, hash it in 1 MiB reads. Inline so it runs the same from src and dist.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.alloc(1 << 20);
parentPort.on('message', ({ id, path, algo }) => {
  let fd;
  try {
    fd = fs.openSync(Buffer.from(path, 'latin1'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    const hash = createHash(algo);
    let size = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      size += n;
      hash.update(buffer.subarray(0, n));
    }
    parentPort.postMessage({ id, hex: hash.digest('hex'), size });
  } catch (error) {
    parentPort.postMessage({ id, code: (error && error.code) || 'EIO' });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
`;

interface Reply {
  id: number;
  hex?: string;
  size?: number;
  code?: string;
}

/** Hashes real files in a pool of worker threads; paths are host byte strings via `host`. */
export class WorkerDigester implements DigestPort {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, (r: DigestResult) => void>();
  private next = 0;

  constructor(
    private readonly host: (path: string) => Buffer,
    threads = Math.max(1, Math.min(4, availableParallelism())),
  ) {
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(workerSource, { eval: true });
      worker.on('message', (reply: Reply) => this.settle(reply));
      return worker;
    });
  }

  private settle({ id, hex, size, code }: Reply): void {
    const done = this.waiting.get(id);
    this.waiting.delete(id);
    done?.(hex !== undefined ? { ok: true, hex, size: BigInt(size ?? 0) } : { ok: false, code: code ?? 'EIO' });
  }

  digest(path: string, algo: DigestAlgo): Promise<DigestResult> {
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, path: this.host(path).toString('latin1'), algo });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
