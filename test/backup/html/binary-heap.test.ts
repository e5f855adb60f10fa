import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '#backup/report/html/binary-heap.js';

describe('binary heap', () => {
  it('pops items in the order it was given, whatever the order pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), (numbers) => {
        const heap = new BinaryHeap<number>((a, b) => a > b);
        for (const n of numbers) heap.push(n);
        expect(heap.size).toBe(numbers.length);
        expect(heap.peek()).toBe(numbers.length ? Math.max(...numbers) : undefined);
        const popped: number[] = [];
        while (heap.size > 0) popped.push(heap.pop()!);
        expect(popped).toEqual([...numbers].sort((a, b) => b - a));
        expect(heap.pop()).toBeUndefined();
      }),
    );
  });
});
