import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { decodeTable, encodeTable } from '#backup/domain/owned-files/table-snapshot.js';
import { parseRpmQuery } from '#backup/domain/rpm/rpm-query-format.js';

const byteString = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString('latin1'));
const bigint = fc.oneof(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }));
const path = fc.oneof(
  fc.array(byteString(12).filter((s) => !s.includes('/')), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
  byteString(20),
  fc.constantFrom('/', '/.', '//x', 'relative', '/caf\u00e9/x'),
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

/** The pieces joined into one buffer that starts on an 8-byte boundary, as a file read into its own memory is. */
function joined(pieces: Uint8Array[]): Buffer {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const bytes = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (const p of pieces) bytes.set(p, (at += p.length) - p.length);
  return bytes;
}

const query = [
  "P\tbash-5.2-1.x86_64\nF\t/usr/bin/bash\t1234\t33261\tabcdef0123456789abcdef0123456789\t8\t1700000000\t\troot\troot\t0\t511\t0\t0\n",
  "F\t'/usr/bin/it'\\''s'\t0\t41471\t\t8\t1700000001\t'bash'\troot\troot\t0\t511\t0\t0\n",
  'P\tfilesystem-3-1.noarch\nF\t/dev/null\t0\t8630\t\t0\t1\t\troot\troot\t0\t511\t0\t259\n',
].join('');

describe('a table as a snapshot', () => {
  it('reads back record by record whatever its records hold, or is refused when a text is not a byte string', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), fc.boolean(), (records, trim) => {
        const table = OwnedFileTable.from(records);
        if (trim) table.trim();
        const pieces = encodeTable(table);
        const back = pieces && decodeTable(joined(pieces));
        expect(back?.length).toBe(table.length);
        expect([...back!]).toEqual(records);
        expect(back!.folderNames).toEqual(table.folderNames);
      }),
      { numRuns: 300 },
    );
    expect(encodeTable(OwnedFileTable.from([{ ...fc.sample(record, 1)[0]!, path: '/\u2603/x' }]))).toBeUndefined();
  });

  it('reads back a table parsed from rpm output, record by record, and the read-back table can still grow', () => {
    const { files } = parseRpmQuery(query);
    const back = decodeTable(joined(encodeTable(files)!))!;
    expect([...back]).toEqual([...files]);
    expect(back.columns.number('rdev', 2)).toBe(259);
    back.add({ ...files.at(0), path: '/usr/bin/new' });
    expect(back.at(3).path).toBe('/usr/bin/new');
    expect([...back].slice(0, 3)).toEqual([...files]);
  });

  it('refuses bytes cut short, grown, misaligned, or whose rows point outside what they hold', () => {
    const bytes = joined(encodeTable(parseRpmQuery(query).files)!);
    expect(decodeTable(bytes)).toBeDefined();
    for (let cut = 0; cut < bytes.length; cut += 3) expect(decodeTable(joined([bytes.subarray(0, cut)]))).toBeUndefined();
    expect(decodeTable(joined([bytes, new Uint8Array(8)]))).toBeUndefined();
    expect(decodeTable(Buffer.from(joined([new Uint8Array(4), bytes]).buffer, 4, bytes.length))).toBeUndefined();
    const pkgAt = 48 + 6 * 16 + 4; // the header, six columns of 3 rows (12 bytes, padded to 16), then pkg's second row
    const bad = joined([bytes]);
    bad.writeUInt32LE(99, pkgAt);
    expect(decodeTable(bad)).toBeUndefined();
    const magic = joined([bytes]);
    magic[0] = magic[0]! ^ 1;
    expect(decodeTable(magic)).toBeUndefined();
  });
});
