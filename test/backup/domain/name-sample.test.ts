import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameSampler } from '#backup/domain/summary/name-sample.js';

describe('NameSampler', () => {
  it('keeps the smallest names in byte order and counts them all, whatever the order they come in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 4 })), fc.integer({ min: 0, max: 6 }), fc.integer(), (names, size, seed) => {
        const shuffled = [...names].sort((a, b) => ((a + seed).length % 3) - ((b + seed).length % 3) || (a < b ? 1 : -1));
        const sampler = new NameSampler(size);
        shuffled.forEach((name) => sampler.add(name));
        expect(sampler.freeze()).toEqual({ names: [...names].sort().slice(0, size), total: names.length });
      }),
    );
  });

  it('merges another sample, counting its unnamed rest', () => {
    const sampler = new NameSampler(2);
    sampler.add('m');
    sampler.addSample({ names: ['a', 'z'], total: 10 });
    expect(sampler.freeze()).toEqual({ names: ['a', 'm'], total: 11 });
  });
});
