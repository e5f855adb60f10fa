import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSize, percentOf } from '#backup/report/size-format.js';

describe('formatSize', () => {
  it.each([
    [0n, '0 bytes'],
    [1n, '1 bytes'],
    [999n, '999 bytes'],
    [1000n, '1K'],
    [1023n, '1K'],
    [1024n, '1K'],
    [1536n, '2K'],
    [2560n, '3K'],
    [2559n, '2K'],
    [1023999n, '1000K'],
    [1024000n, '1M'],
    [1024n * 1024n * 1024n, '1G'],
    [1024n ** 4n * 5n, '5T'],
    [1024n ** 5n, '1P'],
    [2n ** 63n - 1n, '8E'],
    [2n ** 64n, '16E'],
    [1024n ** 6n * 5000n, '5000E'],
  ])('formats %s bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  it('keeps precision past 2^53', () => {
    // 2^53 + 1 bytes is exactly 8 P (to the nearest P); a float would not notice the +1 either way,
    // so check a value where the half-way rounding depends on the last bit.
    const halfP = 1024n ** 5n / 2n;
    expect(formatSize(1024n ** 5n * 7n + halfP)).toBe('8P');
    expect(formatSize(1024n ** 5n * 7n + halfP - 1n)).toBe('7P');
  });

  it('refuses a negative size', () => {
    expect(() => formatSize(-1n)).toThrow(RangeError);
  });

  it('always prints a non-negative integer below 1000 with a known suffix, unless beyond exbibytes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n - 1n }), (bytes) => {
        const match = /^(\d+)( bytes|[KMGTPE])$/.exec(formatSize(bytes));
        expect(match).not.toBeNull();
        const value = Number(match![1]);
        if (match![2] !== 'E') expect(value).toBeLessThanOrEqual(1000);
      }),
    );
  });

  it('never decreases as the size grows', () => {
    const order = [' bytes', 'K', 'M', 'G', 'T', 'P', 'E'];
    const rank = (text: string) => {
      const [, value, unit] = /^(\d+)(.*)$/.exec(text)!;
      return [order.indexOf(unit!), Number(value)] as const;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 66n }), fc.bigInt({ min: 0n, max: 2n ** 40n }), (a, delta) => {
        const [unitA, valueA] = rank(formatSize(a));
        const [unitB, valueB] = rank(formatSize(a + delta));
        expect(unitB > unitA || (unitB === unitA && valueB >= valueA)).toBe(true);
      }),
    );
  });
});

describe('percentOf', () => {
  it('rounds down, so 100% means all of it', () => {
    expect(percentOf(12n, 40n)).toBe(30);
    expect(percentOf(999n, 1000n)).toBe(99);
    expect(percentOf(1000n, 1000n)).toBe(100);
    expect(percentOf(0n, 0n)).toBe(0);
  });

  it('stays within 0..100 for any inputs', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt(), (part, whole) => {
        const p = percentOf(part, whole);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(100);
      }),
    );
  });
});
