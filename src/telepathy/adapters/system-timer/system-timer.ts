/**
 * The {@link Timer} port on Node's own timers.
 * @module
 */
import type { Timer } from '#telepathy/domain/clock/timer.port.js';

/** A timer on `setTimeout`; pending tasks do not keep the process alive on their own. */
export const systemTimer: Timer = {
  after(ms, task) {
    const handle = setTimeout(task, ms);
    handle.unref();
    return () => clearTimeout(handle);
  },
};
