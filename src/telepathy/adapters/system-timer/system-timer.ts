/**
 * The {@link Timer} port on Node's own timers.
 * @module
 */
import type { Timer } from '#telepathy/domain/clock/timer.port.js';

/**
 * A timer on `setTimeout`; pending tasks do not keep the process alive on their own. A zero
 * delay runs on `setImmediate`: still after the current call's reply is written, without the
 * millisecond `setTimeout` always waits (measured: it was most of an echo's round trip).
 */
export const systemTimer: Timer = {
  after(ms, task) {
    if (ms <= 0) {
      const immediate = setImmediate(task);
      immediate.unref();
      return () => clearImmediate(immediate);
    }
    const handle = setTimeout(task, ms);
    handle.unref();
    return () => clearTimeout(handle);
  },
};
