import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';

const byteString = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString('latin1'));
const bigint = fc.oneof(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }));
const path = fc.oneof(
  fc.array(byteString(12).filter((s) => !s.includes('/')), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
  byteString(20),
  fc.constantFrom('/', '/.', '//x', 'relative', '/caf\u00e9/\u2603'),
);
const digest = fc.oneof(fc.constant(''), fc.uint8Array({ minLength: 16, maxLength: 64 }).map((b) => Buffer.from(b).toString('hex')), fc.constantFrom('ABCDEF', 'abc', 'not hex'));

const record: fc.Arbitrary<OwnedFile> = fc.record({
  path,
  package: fc.constantFrom('bash-5.2-1.x86_64', 'glibc-2.38-1.x86_64', 'p\xe9-1'),
  size: bigint,
  mode: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constant(2 ** 40)),
  digest,
  digestAlgo: fc.constantFrom(undefined, 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'),
  mtime: bigint,
  linkTarget: fc.oneof(fc.constant(''), byteString(30)),
  user: fc.constantFrom('root', 'daemon', '\xff'),
  group: fc.constantFrom('root', 'wheel'),
  rdev: fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constant(2 ** 50)),
  flags: fc.record({ config: fc.boolean(), ghost: fc.boolean(), doc: fc.boolean(), missingOk: fc.boolean() }),
  verifyFlags: fc.oneof(fc.integer({ min: 0, max: 0x1ff }), fc.constant(-1)),
  state: fc.constantFrom('normal', 'replaced', 'not-installed', 'net-shared', 'wrong-color', 'missing'),
});

describe('the compact owned-file table', () => {
  it('gives back every record exactly as added, in order, whatever its path, digest or numbers', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), (records) => {
        const table = OwnedFileTable.from(records);
        table.trim();
        expect(table.length).toBe(records.length);
        expect([...table]).toEqual(records);
        records.forEach((r, i) => expect(table.at(i)).toEqual(r));
      }),
      { numRuns: 200 },
    );
  });

  it('holds a large database in well under 200 bytes per owned path', () => {
    const table = new OwnedFileTable();
    const base = { package: 'pkg-1', size: 1234n, mode: 0o100644, digestAlgo: 'sha256' as const, mtime: 1700000000n, linkTarget: '', user: 'root', group: 'root', rdev: 0, verifyFlags: 0x1ff, state: 'normal' as const };
    const flags = { config: false, ghost: false, doc: false, missingOk: false };
    for (let i = 0; i < 20000; i++) table.add({ ...base, flags, path: `/usr/share/pkg${i >> 6}/file-number-${i}.txt`, digest: i.toString(16).padStart(64, '0') });
    table.trim();
    expect(table.byteLength / table.length).toBeLessThan(200);
  });
});
