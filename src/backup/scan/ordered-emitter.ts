import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { PendingEntry } from './pending-entry.js';

/** An entry as the walk pushes it: ready, promised, or waiting for its content check. */
export type EntryLater = ScannedEntry | Promise<ScannedEntry> | PendingEntry;

/** Whether `entry` must be waited for before it can be handed on. */
function waits(entry: EntryLater): entry is Promise<ScannedEntry> | PendingEntry {
  return entry instanceof Promise || (entry instanceof PendingEntry && entry.answer === undefined);
}

/**
 * Hands entries on in walk order although some wait for a digest from a worker: a bounded
 * window of pending entries, so hashing overlaps the walk while memory stays small.
 */
export class OrderedEmitter {
  /** Pending entries from `head` on; an index, not Array.shift, which copies the whole window. */
  private queue: EntryLater[] = [];
  private head = 0;

  constructor(
    private readonly deliver: (entry: ScannedEntry) => void,
    /** Called before waiting on a pending entry, e.g. to send a partly filled batch of work. */
    private readonly beforeWait: () => void = () => undefined,
    // Four of the native digester's batches of 128: with one batch (128) the walk waited for
    // each batch it had just sent, so hashing and walking took turns. Measured on the 100k-file
    // fixture, --no-cache, best of 9 alternating: 128: 0.99 s, 256: 0.88 s, 512: 0.80 s at the
    // same CPU (1.29-1.32 s). Larger costs CPU: a pending entry survives the young-generation
    // collections it waits through (1024: CPU 1.51 s against 1.39 s).
    private readonly window = 512,
    /** The entry of a pending one whose check is answered. */
    private readonly finish: (pending: PendingEntry) => ScannedEntry = () => {
      throw new Error('a pending entry without a way to finish it');
    },
  ) {}

  /** Queues an entry and hands on every entry that is ready; never waits (see `full`). */
  push(entry: EntryLater): void {
    // Nothing waiting and the entry ready, as for every entry without a digest: no queueing.
    if (this.head === this.queue.length && !waits(entry)) return this.deliver(this.ready(entry as ScannedEntry | PendingEntry));
    this.queue.push(entry);
    this.drainReady();
  }

  /** How many entries are pending. */
  private get pending(): number {
    return this.queue.length - this.head;
  }

  /** Whether the window is full: the caller should `await drain(half)` before walking on. */
  get full(): boolean {
    return this.pending >= this.window;
  }

  /** Half the window: what to `drain` down to once full, so the workers stay busy while the walk goes on. */
  get half(): number {
    return this.window / 2;
  }

  private take(): EntryLater {
    const entry = this.queue[this.head++]!;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= this.window) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** The entry of one that needs no more waiting. */
  private ready(entry: ScannedEntry | PendingEntry): ScannedEntry {
    return entry instanceof PendingEntry ? this.finish(entry) : entry;
  }

  private drainReady(): void {
    while (this.pending > 0 && !waits(this.queue[this.head]!)) this.deliver(this.ready(this.take() as ScannedEntry | PendingEntry));
  }

  /** Delivers until at most `keep` entries are pending. */
  async drain(keep = 0): Promise<void> {
    while (this.pending > keep) {
      const head = this.take();
      if (!waits(head)) this.deliver(this.ready(head as ScannedEntry | PendingEntry));
      else {
        this.beforeWait();
        if (head instanceof Promise) this.deliver(await head);
        else {
          await head.ready;
          this.deliver(this.finish(head));
        }
      }
    }
  }
}
