import type { ScannedEntry } from '#backup/domain/entry/entry.js';

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
    private readonly window = 1024,
  ) {}

  /** Queues an entry and hands on every entry that is ready; never waits (see `full`). */
  push(entry: ScannedEntry | Promise<ScannedEntry>): void {
    this.queue.push(entry);
    this.drainReady();
  }

  /** Whether the window is full: the caller should `await drain(half)` before walking on. */
  get full(): boolean {
    return this.queue.length >= this.window;
  }

  /** Half the window: what to `drain` down to once full, so the workers stay busy while the walk goes on. */
  get half(): number {
    return this.window / 2;
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
