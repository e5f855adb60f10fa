/**
 * What the contact sends back (the echo, delivery reports) arrives later, as separate messages.
 * @module
 */
import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import type { Cancel, ReplyTiming } from '#telepathy/domain/clock/timer.port.js';

/** Produces an answer's signals at the moment it arrives (it may change the channel, e.g. queue a pending message). */
export type Answer = () => Signal[];

/** The contact's answers on their way to one channel, delivered in the order they were sent. */
export class ContactReplies {
  private readonly waiting = new Map<number, { readonly cancel: Cancel; readonly answer: Answer }>();
  private serial = 0;

  constructor(
    /** When answers arrive; without it, right after the reply to the call that caused them. */
    private readonly timing: ReplyTiming | undefined,
    private readonly emit: (signal: Signal) => void,
  ) {}

  /**
   * Deliver `answer` after the usual delay (or `delayMs`); returns the signals that must follow
   * the current reply instead (only without timing).
   */
  later(answer: Answer, delayMs?: number): Signal[] {
    if (!this.timing) return answer();
    const key = this.serial++;
    const cancel = this.timing.timer.after(delayMs ?? this.timing.delayMs, () => this.deliver(key));
    this.waiting.set(key, { cancel, answer });
    return [];
  }

  /** Deliver everything still on its way at once, in order: the channel is closing, and nothing sent may be lost. */
  flush(): void {
    for (const key of [...this.waiting.keys()]) {
      this.waiting.get(key)?.cancel();
      this.deliver(key);
    }
  }

  private deliver(key: number): void {
    const entry = this.waiting.get(key);
    if (!entry) return;
    this.waiting.delete(key);
    for (const signal of entry.answer()) this.emit(signal);
  }
}
