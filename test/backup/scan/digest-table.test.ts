import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestTable } from '#backup/adapters/digest-cache/digest-table.js';
import { writeDecimal } from '#backup/adapters/digest-cache/line-text.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { stat } from './owned-file.js';

const keyText = (s: FileStat, algo = 'sha256') => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${algo}`;
const hexOf = (n: number, length = 64) => n.toString(16).padStart(length, '0');

/** Loads cache lines (`key hex`, algorithm sha256) into `table` as the cache file's reader would hand them over. */
function load(table: DigestTable, lines: string[], algo = 4): void {
  const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'latin1');
  table.reserve(lines.length);
  let at = 0;
  for (const line of lines) {
    const keyEnd = at + line.indexOf(' ');
    table.addLine(bytes, at, keyEnd + 1, at + line.length, algo);
    at += line.length + 1;
  }
}

/** The lines `writeUsed` writes, sorted. */
function written(table: DigestTable): string[] {
  const chunks: Buffer[] = [];
  table.writeUsed((chunk) => chunks.push(Buffer.from(chunk))); // a copy: the chunk is reused
  return Buffer.concat(chunks).toString('latin1').split('\n').filter(Boolean).sort();
}

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
        load(
          table,
          loaded.map((s, n) => `${keyText(s)} ${hexOf(n)}`),
        );
        loaded.forEach((s, n) => held.has(keyText(s)) || held.set(keyText(s), hexOf(n)));
        ops.forEach((o, n) => {
          if ('use' in o) {
            const got = table.use(o.use, 'sha256');
            expect(got).toBe(held.get(keyText(o.use)));
            if (got !== undefined) used.set(keyText(o.use), got);
            expect(table.use(o.use, 'md5')).toBeUndefined();
          } else {
            const k = keyText(o.compute);
            table.add(o.compute, 'sha256', hexOf(100000 + n), true);
            if (!held.has(k)) held.set(k, hexOf(100000 + n));
            used.set(k, held.get(k)!);
          }
        });
        expect(table.size).toBe(held.size);
        expect(table.used).toBe(used.size);
        expect(written(table)).toEqual([...used].map(([k, hex]) => `${k} ${hex}`).sort());
      }),
      { numRuns: 30 },
    );
  });

  it('writes back every key as the stat spells it: any 64-bit device and inode, negative sizes and times, every algorithm', () => {
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const i64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(-(2n ** 63n), -1n, 0n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n));
    const algos = [['md5', 32], ['sha1', 40], ['sha224', 56], ['sha256', 64], ['sha384', 96], ['sha512', 128]] as const;
    const entry = fc.tuple(u64, u64, i64, i64, i64, fc.nat(5), fc.nat());
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 200 }), (entries) => {
        const table = new DigestTable();
        const expected = new Map<string, string>();
        for (const [dev, ino, size, mtimeNs, ctimeNs, a, n] of entries) {
          const [algo, length] = algos[a]!;
          const s = stat({ dev, ino, size, mtimeNs, ctimeNs });
          table.add(s, algo, hexOf(n, length), true);
          if (!expected.has(keyText(s, algo))) expected.set(keyText(s, algo), hexOf(n, length));
        }
        const lines = [...expected].map(([k, hex]) => `${k} ${hex}`).sort();
        expect(written(table)).toEqual(lines);
        // Read back, every entry is found again by its stat.
        const again = new DigestTable();
        for (const [a] of algos.entries()) load(again, lines.filter((l) => l.split(' ')[0]!.endsWith(`:${algos[a]![0]}`)), a + 1);
        for (const [dev, ino, size, mtimeNs, ctimeNs, a] of entries) {
          const s = stat({ dev, ino, size, mtimeNs, ctimeNs });
          expect(again.use(s, algos[a]![0])).toBe(expected.get(keyText(s, algos[a]![0])));
        }
        expect(again.size).toBe(expected.size);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps only a digest as the port spells it: lower-case hex of the algorithm length', () => {
    const table = new DigestTable();
    for (const [n, hex] of ['A'.repeat(64), 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(32), ''].entries()) table.add(stat({ ino: BigInt(n) }), 'sha256', hex, true);
    expect(table.size).toBe(0);
    expect(written(table)).toEqual([]);
  });

  it('holds an md5 entry in under 100 bytes, growth room included (held as its line of text, it took about 180)', () => {
    const table = new DigestTable();
    const n = 100_000;
    for (let i = 0; i < n; i++) table.add(stat({ ino: BigInt(i), mtimeNs: 1_700_000_000_000_000_000n + BigInt(i) }), 'md5', hexOf(i, 32), true);
    expect(table.size).toBe(n);
    expect(table.byteLength / n).toBeLessThan(100);
  });

  it('never matches a line whose key no file can have: a leading zero, a number past 64 bits', () => {
    const lines = ['01:2:5:0:0:sha256', '1:2:5:0:18446744073709551616:sha256', '1:2:5:9223372036854775808:0:sha256'].map((k) => `${k} ${'a'.repeat(64)}`);
    const table = new DigestTable();
    load(table, lines);
    expect(table.size).toBe(0);
    expect(table.use(stat({ dev: 1n, ino: 2n, size: 5n, mtimeNs: 0n, ctimeNs: 0n }), 'sha256')).toBeUndefined();
    // A negative time has the bit pattern of a number past 2^63 - 1, which the table never keeps.
    expect(table.use(stat({ dev: 1n, ino: 2n, size: 5n, mtimeNs: -(2n ** 63n), ctimeNs: 0n }), 'sha256')).toBeUndefined();
  });
});

describe('a cache line key written from its words', () => {
  it('spells any 64-bit value as BigInt does, signed or not', () => {
    const out = new Uint8Array(32);
    const value = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.constantFrom(0n, 9n, 10n, 99999999n, 100000000n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 10n ** 16n, 10n ** 16n - 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n),
    );
    fc.assert(
      fc.property(value, fc.boolean(), (v, signed) => {
        const end = writeDecimal(out, 0, Number(v & 0xffffffffn), Number(v >> 32n), signed);
        expect(Buffer.from(out.subarray(0, end)).toString('latin1')).toBe(String(signed ? BigInt.asIntN(64, v) : v));
      }),
      { numRuns: 20_000 },
    );
  });
});
