import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, setLongTimeout, type Timers } from '#telepathy/cli/long-timeout.js';

/** Timers on a fake clock that, like Node's, fire at once when asked for more than 2^31-1 ms. */
function fakeTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; callback: () => void }>();
  let next = 0;
  const timers: Timers = {
    setTimeout(callback, ms) {
      pending.set(++next, { at: now + (ms > MAX_TIMER_MS ? 1 : ms), callback });
      return next;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  const advanceTo = (time: number) => {
    for (;;) {
      const [id, due] = [...pending].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || due!.at > time) break;
      pending.delete(id);
      now = due!.at;
      due!.callback();
    }
    now = time;
  };
  return { timers, advanceTo };
}

const DAY = 24 * 3600 * 1000;

describe('a long timeout', () => {
  it('fires after 30, 365 days, and not before', () => {
    for (const days of [30, 365]) {
      const { timers, advanceTo } = fakeTimers();
      let fired = 0;
      setLongTimeout(() => fired++, days * DAY, timers);
      advanceTo(days * DAY - 1);
      expect(fired).toBe(0);
      advanceTo(days * DAY);
      expect(fired).toBe(1);
    }
  });

  it('fires short delays as a plain timer does, and can be cancelled at any link of the chain', () => {
    const { timers, advanceTo } = fakeTimers();
    const fired: string[] = [];
    setLongTimeout(() => fired.push('short'), 5, timers);
    const cancel = setLongTimeout(() => fired.push('cancelled'), 60 * DAY, timers);
    advanceTo(40 * DAY);
    cancel();
    advanceTo(100 * DAY);
    expect(fired).toEqual(['short']);
  });
});
