import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import type { DigestReply, DigestRequest } from './digest-file.js';

const BATCH = 128;
/** Deaths past this many give up on what is pending, rather than start workers forever. */
const MAX_DEATHS = 8;
/** The reason given for a file whose digest no worker could finish. */
export const WORKER_DIED = 'digest-worker-died';

/**
 * The worker's program, digest-worker.ts. Run from the sources (the tests), it is the built file:
 * Node 20 runs no TypeScript.
 */
function workerScript(): URL {
  const here = import.meta.url;
  const url = new URL('./digest-worker.js', here);
  return here.endsWith('.ts') ? new URL(url.href.replace('/src/backup/', '/dist/backup/')) : url;
}

/** One thread: its worker, the batch being filled, and the batches sent and not answered, oldest first. */
interface Slot {
  worker: Worker;
  filling: DigestRequest[];
  readonly sent: DigestRequest[][];
}

/**
 * Hashes real files in a pool of worker threads, started on first use; paths are host byte
 * strings via `host`. Requests travel in batches (one message per 128 files, measured to matter
 * for small files); a partial batch goes out as soon as the caller waits, or on `flush()`.
 *
 * A worker that dies (out of memory, killed) is replaced and what it had not answered is sent
 * again: it was on the oldest batch, which is split into single files, so a file that kills
 * workers is found and answered {@link WORKER_DIED}, and every other file is still hashed.
 */
export class WorkerDigester implements DigestPort {
  private slots: Slot[] = [];
  private readonly waiting = new Map<number, (r: DigestResult) => void>();
  private next = 0;
  private turn = 0;
  private deaths = 0;
  private flushScheduled = false;
  private closing = false;

  constructor(
    private readonly host: (path: string) => Buffer,
    // One core stays with the walk; measured on 2 cores: 1 worker hashes 14,400 small files in
    // 0.35 s, 2 in 0.5 s, 4 in 1.1 s (they fight the walk and each other).
    private readonly threads = Math.max(1, Math.min(4, availableParallelism() - 1)),
    private readonly script: URL = workerScript(),
  ) {}

  private startWorker(slot: Slot | undefined): Worker {
    const worker = new Worker(this.script);
    worker.on('message', (replies: DigestReply[]) => {
      if (slot) slot.sent.shift();
      replies.forEach((r) => this.settle(r));
    });
    worker.on('error', () => undefined); // 'exit' follows, and says what to do
    worker.on('exit', () => {
      if (!this.closing && slot) this.died(slot);
    });
    return worker;
  }

  private start(): void {
    this.slots = Array.from({ length: this.threads }, () => {
      const slot: Slot = { worker: undefined as unknown as Worker, filling: [], sent: [] };
      slot.worker = this.startWorker(slot);
      return slot;
    });
  }

  /** Replaces a dead worker and sends again what it had not answered (see the class comment). */
  private died(slot: Slot): void {
    const lost = slot.sent.splice(0);
    this.deaths += 1;
    if (this.deaths > MAX_DEATHS) {
      for (const batch of lost) batch.forEach((r) => this.settle({ id: r.id, code: WORKER_DIED }));
      slot.worker = this.startWorker(slot);
      return;
    }
    const [suspect, ...rest] = lost;
    slot.worker = this.startWorker(slot);
    if (suspect === undefined) return;
    if (suspect.length === 1) this.settle({ id: suspect[0]!.id, code: WORKER_DIED });
    else suspect.forEach((r) => this.post(slot, [r]));
    rest.forEach((batch) => this.post(slot, batch));
  }

  private settle(reply: DigestReply): void {
    const done = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    done?.('hex' in reply ? { ok: true, hex: reply.hex, size: BigInt(reply.size) } : { ok: false, code: reply.code });
  }

  digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult> {
    if (this.slots.length === 0) this.start();
    const id = this.next++;
    const slot = this.slots[this.turn]!;
    const seen = stat === undefined ? undefined : { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs };
    slot.filling.push({ id, path: this.host(path).toString('latin1'), algo, seen });
    if (slot.filling.length >= BATCH) {
      this.send(slot);
      this.turn = (this.turn + 1) % this.slots.length;
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

  private post(slot: Slot, batch: DigestRequest[]): void {
    slot.sent.push(batch);
    slot.worker.postMessage(batch);
  }

  private send(slot: Slot): void {
    if (slot.filling.length === 0) return;
    this.post(slot, slot.filling);
    slot.filling = [];
  }

  /** Sends every partial batch now. */
  flush(): void {
    this.slots.forEach((slot) => this.send(slot));
  }

  /** Stop the worker threads, so the process can exit. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
    this.closing = false;
  }
}
