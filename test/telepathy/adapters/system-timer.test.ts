import { describe, expect, it } from 'vitest';
import { systemTimer } from '#telepathy/adapters/system-timer/system-timer.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the system timer', () => {
  it.each([0, 5])('runs a task after %i ms, later than the code that scheduled it', async (ms) => {
    const order: string[] = [];
    systemTimer.after(ms, () => order.push('task'));
    order.push('caller');
    await settle(ms + 20);
    expect(order).toEqual(['caller', 'task']);
  });

  it.each([0, 5])('never runs a task cancelled before its %i ms', async (ms) => {
    let ran = false;
    const cancel = systemTimer.after(ms, () => (ran = true));
    cancel();
    await settle(ms + 20);
    expect(ran).toBe(false);
  });
});
