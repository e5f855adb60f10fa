/** The native walker's stat writes what the scanner saw into a digest batch as its bigints would be, without them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchBuilder } from '#backup/adapters/digest-workers/digest-batch.js';
import { parseListing } from '#backup/adapters/native-walker/native-walker.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';

/** A walker answer (layout in walker.c) of one regular file with these raw fields. */
function listing(f: { dev: bigint; ino: bigint; size: bigint; mtime: [bigint, bigint]; ctime: [bigint, bigint] }): Buffer {
  const b = Buffer.alloc(8 + 104 + 1);
  b.writeUInt32LE(1, 0);
  b.writeUInt32LE(104, 4);
  const r = 8;
  b.writeUInt32LE(0, r);
  b.writeUInt32LE(1, r + 4);
  b.writeUInt32LE(1, r + 12); // readable
  b.writeBigUInt64LE(f.dev, r + 16);
  b.writeBigUInt64LE(f.ino, r + 24);
  b.writeUInt32LE(0o100644, r + 32);
  b.writeBigUInt64LE(1n, r + 48);
  b.writeBigInt64LE(f.size, r + 64);
  b.writeBigInt64LE(f.mtime[0], r + 72);
  b.writeBigInt64LE(f.mtime[1], r + 80);
  b.writeBigInt64LE(f.ctime[0], r + 88);
  b.writeBigInt64LE(f.ctime[1], r + 96);
  b.write('f', 8 + 104, 'latin1');
  return b;
}

const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 5n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(0xffffffffn, 1n << 32n, (1n << 63n) + 7n));
const i64 = fc.oneof(fc.bigInt({ min: -5n, max: 5n }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.constantFrom(1_700_000_000n, -1n, 0xffffffffn, -(1n << 32n)));
const seconds = fc.oneof(i64, fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }));
const nanos = fc.oneof(fc.bigInt({ min: 0n, max: 999_999_999n }), i64);

describe('what the scanner saw, written into a digest batch', () => {
  it('is the same from the native walker\'s raw stat as from its bigints, whatever the values (wrapping as a BigInt64Array does)', () => {
    fc.assert(
      fc.property(fc.record({ dev: u64, ino: u64, size: i64, mtime: fc.tuple(seconds, nanos), ctime: fc.tuple(seconds, nanos) }), (f) => {
        const stat = parseListing(listing(f), '/').at(0)!.stat!;
        const asBigints: FileStat = { ...stat, dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
        const raw = new BatchBuilder(1);
        const bigints = new BatchBuilder(1);
        raw.add(Buffer.from('/f'), 'md5', stat);
        bigints.add(Buffer.from('/f'), 'md5', asBigints);
        expect('writeSeen' in stat && !('writeSeen' in asBigints)).toBe(true);
        expect(raw.take().seen).toEqual(bigints.take().seen);
      }),
      { numRuns: 5000 },
    );
  });
});
