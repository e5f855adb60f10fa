import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownedFileArbitrary } from '#sim/backup/owned-file-arbitrary.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';

const record = ownedFileArbitrary();

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
