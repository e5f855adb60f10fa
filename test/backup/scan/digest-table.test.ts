import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestTable } from '#backup/adapters/digest-cache/digest-table.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import { stat } from './owned-file.js';

const keyText = (s: FileStat, algo = 'sha256') => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${algo}`;
const hexOf = (n: number, length = 64) => n.toString(16).padStart(length, '0');

type Column = 'keys' | 'algos' | 'digests';

/** The used entries' columns, as `writeUsed` hands them to a cache file. */
function columns(table: DigestTable): Record<Column, Buffer> {
  const one = (column: Column) => {
    const parts: Buffer[] = [];
    table.writeUsed(column, (bytes, at, length) => parts.push(Buffer.from(bytes.subarray(at, at + length))));
    return Buffer.concat(parts);
  };
  return { keys: one('keys'), algos: one('algos'), digests: one('digests') };
}

/** A table filled from `count` entries' columns as a cache file's reader fills it; undefined when it refuses them. */
function adopted(count: number, c: Record<Column, Buffer>): DigestTable | undefined {
  const table = new DigestTable();
  const ok = table.adopt(count, c.digests.length, (keys, algos, digests) => {
    if (keys.byteLength !== c.keys.length || algos.length !== c.algos.length || digests.length !== c.digests.length) return false;
    new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength).set(c.keys);
    algos.set(c.algos);
    digests.set(c.digests);
    return true;
  });
  return ok ? table : undefined;
}

/** What a cache file saved from `table` would read back as. */
function reread(table: DigestTable): DigestTable {
  const again = adopted(table.used, columns(table));
  expect(again).toBeDefined();
  return again!;
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
        const used = new Map<string, [FileStat, string]>();
        loaded.forEach((s, n) => table.add(s, 'sha256', hexOf(n), false));
        loaded.forEach((s, n) => held.has(keyText(s)) || held.set(keyText(s), hexOf(n)));
        ops.forEach((o, n) => {
          if ('use' in o) {
            const got = table.use(o.use, 'sha256');
            expect(got).toBe(held.get(keyText(o.use)));
            if (got !== undefined) used.set(keyText(o.use), [o.use, got]);
            expect(table.use(o.use, 'md5')).toBeUndefined();
          } else {
            const k = keyText(o.compute);
            table.add(o.compute, 'sha256', hexOf(100000 + n), true);
            if (!held.has(k)) held.set(k, hexOf(100000 + n));
            used.set(k, [o.compute, held.get(k)!]);
          }
        });
        expect(table.size).toBe(held.size);
        expect(table.used).toBe(used.size);
        const again = reread(table);
        expect(again.size).toBe(used.size);
        for (const [s, hex] of used.values()) expect(again.use(s, 'sha256')).toBe(hex);
      }),
      { numRuns: 30 },
    );
  });

  it('writes back every key as the stat gives it: any 64-bit device and inode, negative sizes and times, every algorithm', () => {
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
        // Read back, every entry is found again by its stat.
        const again = reread(table);
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
    expect(reread(table).size).toBe(0);
  });

  it('holds an md5 entry in under 100 bytes, growth room included (held as its line of text, it took about 180)', () => {
    const table = new DigestTable();
    const n = 100_000;
    for (let i = 0; i < n; i++) table.add(stat({ ino: BigInt(i), mtimeNs: 1_700_000_000_000_000_000n + BigInt(i) }), 'md5', hexOf(i, 32), true);
    expect(table.size).toBe(n);
    expect(table.byteLength / n).toBeLessThan(100);
  });

  it("takes a cache file's columns only when every algorithm is known and the digests' lengths add up", () => {
    const table = new DigestTable();
    table.add(stat(), 'sha256', hexOf(1), true);
    table.add(stat({ ino: 3n }), 'md5', hexOf(2, 32), true);
    const c = columns(table);
    expect(adopted(2, c)?.use(stat({ ino: 3n }), 'md5')).toBe(hexOf(2, 32));
    for (const code of [0, 7, 255]) expect(adopted(2, { ...c, algos: Buffer.from([4, code]) })).toBeUndefined();
    expect(adopted(2, { ...c, algos: Buffer.from([4, 4]) })).toBeUndefined(); // 64 + 32 bytes of digests, not 64 + 64
    expect(adopted(2, { ...c, digests: c.digests.subarray(1) })).toBeUndefined();
  });

  it('holds a key the columns hold twice once, with its first digest', () => {
    const table = new DigestTable();
    table.add(stat(), 'sha256', hexOf(1), true);
    const c = columns(table);
    const twice = adopted(2, { keys: Buffer.concat([c.keys, c.keys]), algos: Buffer.concat([c.algos, c.algos]), digests: Buffer.concat([c.digests, Buffer.alloc(32, 0xee)]) });
    expect(twice?.size).toBe(1);
    expect(twice?.use(stat(), 'sha256')).toBe(hexOf(1));
  });

  it('answers lookups in the order the file holds its entries as in any other: skips, repeats, keys it lacks, other algorithms, changed fields, keys held twice', () => {
    // A rescan asks mostly in the file's order (the last walk's): the table compares the entry after
    // the last one found first, and indexes its rows only when that fails.
    const ask = fc.oneof(
      fc.record({ next: fc.nat(3) }), // the entry `next` places after the last asked (0: the very next)
      fc.record({ back: fc.nat(50) }), // 0: the same again
      fc.record({ absent: fc.nat(1000) }),
      fc.record({ md5: fc.boolean() }),
      fc.record({ changed: fc.constantFrom('dev', 'ino', 'size', 'mtimeNs', 'ctimeNs') }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.nat(299), { maxLength: 30 }), fc.array(ask, { maxLength: 600 }), (count, twice, asks) => {
        const files = Array.from({ length: count }, (_, n) => stat({ ino: BigInt(1000 + n), size: BigInt(n % 7), mtimeNs: BigInt(n) * 1_000_000_007n }));
        // The file's rows: each file's, and a few again (a hard link hashed twice in one scan), same digest.
        const rows = files.flatMap((_, n) => (twice.some((t) => t % count === n) ? [n, n] : [n]));
        const one = rows.map((n) => {
          const single = new DigestTable();
          single.add(files[n]!, 'sha256', hexOf(n), true);
          return columns(single);
        });
        const joined = (c: Column) => Buffer.concat(one.map((o) => o[c]));
        const table = adopted(rows.length, { keys: joined('keys'), algos: joined('algos'), digests: joined('digests') })!;
        const found = new Set<number>();
        let at = -1;
        for (const a of asks) {
          if ('next' in a) at = Math.min(count - 1, at + 1 + a.next);
          else if ('back' in a) at = Math.max(0, at - a.back);
          const s = files[Math.max(0, at)]!;
          const following = files[Math.min(count - 1, at + 1)]!; // the entry compared first
          if ('absent' in a) expect(table.use(stat({ ino: BigInt(5000 + a.absent) }), 'sha256')).toBeUndefined();
          else if ('md5' in a) expect(table.use(a.md5 ? following : s, 'md5')).toBeUndefined();
          else if ('changed' in a) expect(table.use({ ...following, [a.changed]: following[a.changed] + 1n }, 'sha256')).toBeUndefined();
          else expect(table.use(s, 'sha256')).toBe(hexOf(Math.max(0, at))), found.add(Math.max(0, at));
        }
        expect(table.allUsed).toBe(found.size === count);
        expect(table.size).toBe(count);
        expect(table.used).toBe(found.size);
        const back = reread(table); // what a save writes: each entry used, once
        expect(back.size).toBe(found.size);
        for (const n of found) expect(back.use(files[n]!, 'sha256')).toBe(hexOf(n));
      }),
      { numRuns: 200 },
    );
  });

  it('places the digests of a file of one algorithm by their row, and keeps every one when entries of another are added', () => {
    const files = Array.from({ length: 50 }, (_, n) => stat({ ino: BigInt(n) }));
    const source = new DigestTable();
    files.forEach((s, n) => source.add(s, 'sha256', hexOf(n), true));
    const table = reread(source); // one algorithm: no pass over the rows to place the digests
    expect(table.use(files[7]!, 'sha256')).toBe(hexOf(7));
    table.add(stat({ ino: 999n }), 'md5', hexOf(999, 32), true);
    table.add(files[3]!, 'md5', hexOf(3, 32), true);
    for (const [n, s] of files.entries()) expect(table.use(s, 'sha256')).toBe(hexOf(n));
    expect(table.use(files[3]!, 'md5')).toBe(hexOf(3, 32));
    const back = reread(table); // now of two algorithms
    expect(back.size).toBe(52);
    for (const [n, s] of files.entries()) expect(back.use(s, 'sha256')).toBe(hexOf(n));
    expect(back.use(stat({ ino: 999n }), 'md5')).toBe(hexOf(999, 32));
  });
});
