import { describe, expect, it } from 'vitest';
import { formatCount, formatShare } from '#backup/report/html/number-text.js';
import { bytesOf, totalBytes } from '#backup/report/html/space-tree.js';

describe('shares and counts in words', () => {
  it('gives a share with one decimal, rounding halves up, and 0% of nothing', () => {
    expect(formatShare(1n, 3n)).toBe('33.3%');
    expect(formatShare(2n, 3n)).toBe('66.7%');
    expect(formatShare(1n, 2n)).toBe('50%');
    expect(formatShare(1n, 2000n)).toBe('0.1%');
    expect(formatShare(0n, 0n)).toBe('0%');
    expect(formatShare(2n ** 70n, 2n ** 71n)).toBe('50%');
  });

  it('groups thousands the same way in every locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('byte counts', () => {
  it('sums exactly past 2^53, from numbers, decimal strings and bigints', () => {
    expect(totalBytes([1, '2', 3n])).toBe(6n);
    expect(totalBytes([])).toBe(0n);
    expect(totalBytes([String(2n ** 53n), '1', '1'])).toBe(2n ** 53n + 2n);
    expect(totalBytes(['18446744073709551615', '1'])).toBe(2n ** 64n);
    expect(() => bytesOf('-1')).toThrow(RangeError);
  });
});
