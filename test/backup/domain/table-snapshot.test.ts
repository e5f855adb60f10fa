import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownedFileArbitrary } from '#sim/backup/owned-file-arbitrary.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { decodeTable, encodeTable } from '#backup/domain/owned-files/table-snapshot.js';
import { parseRpmQuery } from '#backup/domain/rpm/rpm-query-reader.js';

const record = ownedFileArbitrary({ byteStrings: true });

/** The pieces joined into one buffer that starts on an 8-byte boundary, as a file read into its own memory is. */
function joined(pieces: Uint8Array[]): Buffer {
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const bytes = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (const p of pieces) bytes.set(p, (at += p.length) - p.length);
  return bytes;
}

const query = [
  "P\tbash-5.2-1.x86_64\t8\nF\t/usr/bin/bash\t1234\t33261\tabcdef0123456789abcdef0123456789\t1700000000\t\troot\troot\t0\t511\t0\t0\n",
  "F\t'/usr/bin/it'\\''s'\t0\t41471\t\t1700000001\t'bash'\troot\troot\t0\t511\t0\t0\n",
  'P\tfilesystem-3-1.noarch\t0\nF\t/dev/null\t0\t8630\t\t1\t\troot\troot\t0\t511\t0\t259\n',
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
