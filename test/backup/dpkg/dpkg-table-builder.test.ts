import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diversion } from '#backup/domain/dpkg/diversions.js';
import { DpkgTableBuilder } from '#backup/domain/dpkg/dpkg-table-builder.js';
import { parseDpkgList } from '#backup/domain/dpkg/list-file.js';
import { parseMd5sums } from '#backup/domain/dpkg/md5sums.js';
import { dpkgOwnedFiles, type DpkgVerifyMode } from '#backup/domain/dpkg/owned-records.js';
import type { Conffile } from '#backup/domain/dpkg/status-file.js';

/** Components that make shared folders, non-UTF-8 names, odd spellings (`.`, `..`, empty, CR). */
const component = fc.constantFrom('usr', 'bin', 'lib', 'a', 'b', 't\xf6\xf6l', '\xff\xfe', 'x y', '.', '..', '', '\r', 'conf');
const path = fc
  .tuple(fc.constantFrom('/', '/', '/', '/', ''), fc.array(component, { minLength: 0, maxLength: 4 }))
  .map(([lead, parts]) => `${lead}${parts.join('/')}`)
  .filter((p) => p !== '');
const hexDigits = fc.stringMatching(/^[0-9a-fA-F]{32}$/);
/** How a `.md5sums` line may spell a path: as is, `./`-led, `/`-led, or in binary mode. */
const md5Line = fc.tuple(hexDigits, fc.constantFrom('  ', '  ./', '  /', ' *', '  //./'), path).map(([hex, sep, p]) => `${hex}${sep}${p.replace(/^\/+/, '')}`);
const junkLine = fc.constantFrom('', 'not a digest line', `${'g'.repeat(32)}  usr/x`, `${'a'.repeat(32)} usr/x`, `${'a'.repeat(32)}  `, 'a'.repeat(31));
const packageArb = fc.record({
  name: fc.constantFrom('p', 'q', 'r'),
  paths: fc.array(fc.oneof(path, fc.constantFrom('/.', '')), { maxLength: 10 }),
  md5: fc.array(fc.oneof({ arbitrary: md5Line, weight: 4 }, { arbitrary: junkLine, weight: 1 }), { maxLength: 8 }),
  listNewline: fc.boolean(),
  md5Newline: fc.boolean(),
  conffiles: fc.array(fc.record({ path, digest: fc.oneof(hexDigits.map((h) => h.toLowerCase()), fc.constant('newconffile')) }), { maxLength: 2 }),
});
const diversionArb = fc.array(fc.record({ from: path, to: path, by: fc.option(fc.constantFrom('p', 'q'), { nil: undefined }) }), { maxLength: 2 });

/** The file's bytes at the start of a larger buffer whose rest is leftover junk, as a reused read buffer is. */
function reused(text: string, junk: number): { bytes: Buffer; end: number } {
  const bytes = Buffer.alloc(text.length + junk);
  bytes.write(text, 0, 'latin1');
  if (junk) bytes.fill('/\n./a\xff', text.length, text.length + junk, 'latin1');
  return { bytes, end: text.length };
}

const stringify = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('the dpkg table builder, reading list and md5sums bytes', () => {
  it('gives the records dpkgOwnedFiles gives over the string parsers, for any packages, diversions and spellings', () => {
    fc.assert(
      fc.property(fc.array(packageArb, { minLength: 1, maxLength: 4 }), diversionArb, fc.constantFrom<DpkgVerifyMode>('content', 'none'), fc.nat(40), (pkgs, diversions: Diversion[], verify, junk) => {
        const builder = new DpkgTableBuilder(diversions, verify);
        const expected = pkgs.flatMap((p, i) => {
          const list = p.paths.join('\n') + (p.listNewline && p.paths.length ? '\n' : '');
          const md5 = p.md5.join('\n') + (p.md5Newline && p.md5.length ? '\n' : '');
          const owner = `${p.name}${i}`;
          const conffiles: Conffile[] = p.conffiles.map((c) => ({ ...c, obsolete: false, removeOnUpgrade: false }));
          const l = reused(list, junk);
          const m = reused(md5, junk);
          builder.add({ owner, name: p.name, conffiles }, l.bytes, l.end, m.bytes, m.end);
          return dpkgOwnedFiles([{ owner, name: p.name, paths: parseDpkgList(list), digests: parseMd5sums(md5), conffiles }], diversions, verify);
        });
        expect([...builder.table].map(stringify)).toEqual(expected.map(stringify));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a digest whatever the case of its hex, and a path in a second package under the first one\'s folders', () => {
    const builder = new DpkgTableBuilder([]);
    const file = (text: string) => Buffer.from(text, 'latin1');
    const list1 = file('/.\n/usr\n/usr/bin\n/usr/bin/t\xf6\xf6l');
    const md51 = file(`${'AB'.repeat(16)}  usr/bin/t\xf6\xf6l`);
    builder.add({ owner: 'one', name: 'one', conffiles: [] }, list1, list1.length, md51, md51.length);
    const list2 = file('/usr/bin\n/usr/bin/two\n');
    builder.add({ owner: 'two', name: 'two', conffiles: [] }, list2, list2.length, md51, 0);
    expect([...builder.table].map((f) => [f.path, f.package, f.mode.toString(8), f.digest])).toEqual([
      ['/', 'one', '40000', ''],
      ['/usr', 'one', '40000', ''],
      ['/usr/bin', 'one', '40000', ''],
      ['/usr/bin/t\xf6\xf6l', 'one', '100000', 'ab'.repeat(16)],
      // In its own package /usr/bin is a directory (it holds two), two a symlink: no digest.
      ['/usr/bin', 'two', '40000', ''],
      ['/usr/bin/two', 'two', '120000', ''],
    ]);
  });
});
