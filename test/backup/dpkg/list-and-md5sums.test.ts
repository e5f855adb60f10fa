import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDpkgList } from '#backup/domain/dpkg/list-file.js';
import { absoluteDpkgPath, parseMd5sums } from '#backup/domain/dpkg/md5sums.js';
import { absolutePath, md5Hex } from './byte-strings.js';

describe('dpkg .list files', () => {
  it('reads each line as one path and the top directory `/.` as `/`', () => {
    const text = '/.\n/usr\n/usr/share/doc/a file with spaces\n/etc/caf\xe9\tconf\n';
    expect(parseDpkgList(text)).toEqual(['/', '/usr', '/usr/share/doc/a file with spaces', '/etc/caf\xe9\tconf']);
  });

  it('reads nothing from an empty list', () => {
    expect(parseDpkgList('')).toEqual([]);
  });

  it('gives back any byte-string paths exactly, in order', () => {
    fc.assert(
      fc.property(fc.array(absolutePath, { maxLength: 20 }), (paths) => {
        expect(parseDpkgList(paths.map((p) => `${p}\n`).join(''))).toEqual(paths);
      }),
    );
  });
});

describe('dpkg .md5sums files', () => {
  it('reads `HEX  relative/path` lines into absolute paths, spaces in names kept', () => {
    const text = 'D41D8CD98F00B204E9800998ECF8427E  usr/share/doc/x y/README\n0123456789abcdef0123456789abcdef  ./etc/z\n';
    expect([...parseMd5sums(text)]).toEqual([
      ['/usr/share/doc/x y/README', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['/etc/z', '0123456789abcdef0123456789abcdef'],
    ]);
  });

  it('skips lines that are not a digest and a path', () => {
    const one = '0123456789abcdef0123456789abcdef';
    expect([...parseMd5sums(`not a digest  usr/x\n\n0123  usr/y\n${one} usr/one-space\n${one}  \n${'g'.repeat(32)}  usr/z\n`)]).toEqual([]);
  });

  it('accepts the binary-mode marker md5sum writes', () => {
    expect([...parseMd5sums('0123456789abcdef0123456789abcdef *usr/bin/x')]).toEqual([['/usr/bin/x', '0123456789abcdef0123456789abcdef']]);
  });

  it('files paths the way dpkg does, whatever leading `/` or `./`', () => {
    expect(absoluteDpkgPath('usr/x')).toBe('/usr/x');
    expect(absoluteDpkgPath('/usr/x')).toBe('/usr/x');
    expect(absoluteDpkgPath('.//./usr/x')).toBe('/usr/x');
  });

  it('gives back every digest for any byte-string path', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(absolutePath, md5Hex), { selector: ([p]) => p, maxLength: 20 }), (entries) => {
        const text = entries.map(([p, hex]) => `${hex}  ${p.slice(1)}\n`).join('');
        expect([...parseMd5sums(text)]).toEqual(entries);
      }),
    );
  });
});
