import type { ScannedEntry } from './domain/entry.js';

/**
 * Hands entries on in walk order although some wait for a digest from a worker: a bounded
 * window of pending entries, so hashing overlaps the walk while memory stays small.
 */
export class OrderedEmitter {
  private readonly queue: Array<ScannedEntry | Promise<ScannedEntry>> = [];

  constructor(
    private readonly deliver: (entry: ScannedEntry) => void,
    /** Called before waiting on a pending entry, e.g. to send a partly filled batch of work. */
    private readonly beforeWait: () => void = () => undefined,
    private readonly window = 256,
  ) {}

  /** Queues an entry; waits only when the window is full. */
  async push(entry: ScannedEntry | Promise<ScannedEntry>): Promise<void> {
    this.queue.push(entry);
    if (this.queue.length >= this.window) await this.drain(this.window / 2);
    else this.drainReady();
  }

  private drainReady(): void {
    while (this.queue.length && !(this.queue[0] instanceof Promise)) this.deliver(this.queue.shift() as ScannedEntry);
  }

  /** Delivers until at most `keep` entries are pending. */
  async drain(keep = 0): Promise<void> {
    while (this.queue.length > keep) {
      const head = this.queue.shift()!;
      if (head instanceof Promise) this.beforeWait();
      this.deliver(await head);
    }
  }
}
