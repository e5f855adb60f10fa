import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestTable } from '#backup/adapters/digest-cache/digest-table.js';

describe('the digest cache table', () => {
  it('keeps, finds and writes back what a map of the used entries would, through every growth', () => {
    const key = fc.tuple(fc.nat(5), fc.nat(3000), fc.nat(99)).map(([dev, ino, size]) => `${dev}:${ino}:${size}:1700000000000000000:1700000000000000000:sha256`);
    const op = fc.oneof(fc.record({ load: key }), fc.record({ use: key }), fc.record({ compute: key }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const table = new DigestTable();
        const held = new Map<string, string>();
        const used = new Map<string, string>();
        ops.forEach((o, n) => {
          const hex = n.toString(16).padStart(64, '0');
          if ('load' in o) {
            table.add(o.load, hex, false);
            if (!held.has(o.load)) held.set(o.load, hex);
          } else if ('use' in o) {
            const got = table.use(o.use);
            expect(got).toBe(held.get(o.use));
            if (got !== undefined) used.set(o.use, got);
          } else {
            table.add(o.compute, hex, true);
            if (!held.has(o.compute)) held.set(o.compute, hex);
            used.set(o.compute, held.get(o.compute)!);
          }
        });
        expect(table.size).toBe(held.size);
        expect(table.used).toBe(used.size);
        expect(new Map(table.usedEntries())).toEqual(used);
      }),
      { numRuns: 30 },
    );
  });
});
