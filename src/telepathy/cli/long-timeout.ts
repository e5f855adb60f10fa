/**
 * Node's timers take at most 2^31-1 ms (about 24.8 days): a longer delay is clamped to 1 ms and
 * fires at once. A long timeout is therefore a chain of timers no longer than that.
 */

/** The longest delay one Node timer keeps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer functions a long timeout is built from (the global ones, or fakes in tests). */
export interface Timers {
  /** Like the global `setTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Like the global `clearTimeout`. */
  clearTimeout(timer: unknown): void;
}

const globalTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** Call `callback` once after `ms` milliseconds, however many; returns a function that cancels it. */
export function setLongTimeout(callback: () => void, ms: number, timers: Timers = globalTimers): () => void {
  let left = Math.max(0, ms);
  let timer: unknown;
  const arm = () => {
    const step = Math.min(left, MAX_TIMER_MS);
    left -= step;
    timer = timers.setTimeout(left > 0 ? arm : callback, step);
  };
  arm();
  return () => timers.clearTimeout(timer);
}
