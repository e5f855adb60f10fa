import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestTable } from '#backup/adapters/digest-cache/digest-table.js';
import { stat } from './owned-file.js';

const keyText = (s: ReturnType<typeof stat>) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:sha256`;

describe('the digest cache table', () => {
  it('keeps, finds and writes back what a map of the used entries would, through every growth', () => {
    // Numbers about the 32-bit word boundary and up to 64 bits: the table keys files by their numbers.
    const big = fc.constantFrom(0n, 4294967295n, 4294967296n, 1700000000000000000n, 2n ** 63n - 1n);
    const file = fc
      .tuple(fc.nat(5), fc.nat(3000), fc.nat(99), big, big)
      .map(([dev, ino, size, mtimeNs, ctimeNs]) => stat({ dev: BigInt(dev), ino: BigInt(ino) + (dev === 5 ? 2n ** 64n - 3001n : 0n), size: BigInt(size), mtimeNs, ctimeNs }));
    const op = fc.oneof(fc.record({ use: file }), fc.record({ compute: file }));
    fc.assert(
      fc.property(fc.array(file, { maxLength: 2000 }), fc.array(op, { maxLength: 2000 }), (loaded, ops) => {
        const table = new DigestTable();
        const held = new Map<string, string>();
        const used = new Map<string, string>();
        const hexOf = (n: number) => n.toString(16).padStart(64, '0');
        const lines = loaded.map((s, n) => `${keyText(s)} ${hexOf(n)}\n`);
        const bytes = Buffer.from(lines.join(''), 'latin1');
        table.adopt(bytes, lines.length);
        let at = 0;
        lines.forEach((line, n) => {
          const keyEnd = at + line.indexOf(' ');
          table.addLoaded(at, keyEnd, at + line.length - 1, 4);
          if (!held.has(keyText(loaded[n]!))) held.set(keyText(loaded[n]!), hexOf(n));
          at += line.length;
        });
        ops.forEach((o, n) => {
          if ('use' in o) {
            const got = table.use(o.use, 'sha256');
            expect(got).toBe(held.get(keyText(o.use)));
            if (got !== undefined) used.set(keyText(o.use), got);
            expect(table.use(o.use, 'md5')).toBeUndefined();
          } else {
            const k = keyText(o.compute);
            table.add(o.compute, 'sha256', k, hexOf(100000 + n), true);
            if (!held.has(k)) held.set(k, hexOf(100000 + n));
            used.set(k, held.get(k)!);
          }
        });
        expect(table.size).toBe(held.size);
        expect(table.used).toBe(used.size);
        expect(new Map(table.usedEntries())).toEqual(used);
        const chunks: Buffer[] = [];
        table.writeUsed((chunk) => chunks.push(Buffer.from(chunk))); // a copy: the chunk is reused
        const written = Buffer.concat(chunks).toString('latin1').split('\n').filter(Boolean).sort();
        expect(written).toEqual([...used].map(([k, hex]) => `${k} ${hex}`).sort());
      }),
      { numRuns: 30 },
    );
  });

  it('never matches a line whose key no file can have: a leading zero, a number past 64 bits', () => {
    const lines = ['01:2:5:0:0:sha256', '1:2:5:0:18446744073709551616:sha256', '1:2:5:9223372036854775808:0:sha256'].map((k) => `${k} ${'a'.repeat(64)}\n`);
    const table = new DigestTable();
    const bytes = Buffer.from(lines.join(''), 'latin1');
    table.adopt(bytes, lines.length);
    let at = 0;
    for (const line of lines) {
      table.addLoaded(at, at + line.indexOf(' '), at + line.length - 1, 4);
      at += line.length;
    }
    expect(table.size).toBe(0);
    expect(table.use(stat({ dev: 1n, ino: 2n, size: 5n, mtimeNs: 0n, ctimeNs: 0n }), 'sha256')).toBeUndefined();
    // A negative time has the bit pattern of a number past 2^63 - 1, which the table never keeps.
    expect(table.use(stat({ dev: 1n, ino: 2n, size: 5n, mtimeNs: -(2n ** 63n), ctimeNs: 0n }), 'sha256')).toBeUndefined();
  });
});
