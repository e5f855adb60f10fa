import type { Readable } from 'node:stream';

/** Bytes handed to the consumer at a time: the fewest, and the most. */
const MIN_SLICE = 4096;
const MAX_SLICE = 64 * 1024;
/** How long the consumer may hold the event loop before the pipe is read again, in ms. */
const TURN_MS = 0.5;
/** Bytes queued before the producer is paused (read on again below a quarter of it). */
const MAX_QUEUED = 8 * 1024 ** 2;

/**
 * Hands what a stream delivers to `feed` in slices, giving the event loop back every half
 * millisecond, so the pipe is drained while the consumer is slow: a pipe holds 64 KiB, and rpm
 * writes that in about a millisecond, so a consumer that kept the loop for the tens of
 * milliseconds that cold (not yet optimised) parsing of a chunk takes made rpm wait (measured).
 * Slices start small and grow while they take little time: each one costs a little.
 */
export class PacedFeed {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private offset = 0;
  private slice = MIN_SLICE;
  private scheduled = false;
  private ended = false;
  private failure: Error | undefined;
  private settle: ((error?: Error) => void) | undefined;

  constructor(
    private readonly stream: Readable,
    private readonly feed: (bytes: Buffer) => void,
  ) {
    stream.on('data', (chunk: Buffer) => {
      if (this.failure) return;
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued > MAX_QUEUED) stream.pause();
      this.schedule();
    });
    stream.on('end', () => {
      this.ended = true;
      this.schedule();
    });
  }

  /** The error `feed` threw, if it did (nothing more is fed after it). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Resolves when every byte of the ended stream has been fed; rejects with `feed`'s error. */
  done(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.step());
  }

  private step(): void {
    this.scheduled = false;
    const start = performance.now();
    let now = start;
    try {
      while (this.queue.length && now < start + TURN_MS) {
        const chunk = this.queue[0]!;
        const end = Math.min(chunk.length, this.offset + this.slice);
        this.feed(this.offset === 0 && end === chunk.length ? chunk : chunk.subarray(this.offset, end));
        this.offset = end;
        if (end === chunk.length) this.next(chunk);
        const took = performance.now() - now;
        now += took;
        if (took < TURN_MS / 8) this.slice = Math.min(this.slice * 2, MAX_SLICE);
        else if (took > TURN_MS / 2) this.slice = Math.max(this.slice / 2, MIN_SLICE);
      }
    } catch (error) {
      this.failure = error as Error;
    }
    if (this.failure) this.settle?.(this.failure);
    else if (this.queue.length) this.schedule();
    else if (this.ended) this.settle?.();
  }

  private next(chunk: Buffer): void {
    this.queue.shift();
    this.offset = 0;
    this.queued -= chunk.length;
    if (this.stream.isPaused() && this.queued < MAX_QUEUED / 4) this.stream.resume();
  }
}
