import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDpkgStatusNatively } from '#backup/adapters/dpkg/native-dpkg-status.js';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { parseDpkgStatus } from '#backup/domain/dpkg/status-file.js';

const fields = loadNativeWalker()?.dpkgStatusFields;

/** Blanks JavaScript's trim() takes and those it leaves (\x85, \x1f). */
const blank = fc.constantFrom('', ' ', '\t', '\v', '\f', '\r', '\xa0', '\x85', '\x1f', '  ');
const word = fc.constantFrom('p', 'q', 'amd64', 'all', 'same', 'foreign', 'install', 'ok', 'installed', 'hold', 'config-files', 'x:y', '\xe9t\xe9', '');
const value = fc.tuple(blank, fc.array(fc.tuple(word, fc.constantFrom(' ', '\t', '  ')), { maxLength: 4 }), blank).map(([a, ws, b]) => `${a}${ws.map(([w, s]) => w + s).join('')}${b}`);
const name = fc.constantFrom('Package', 'PACKAGE', 'package', 'Packag', 'Status', 'STATUS', 'Architecture', 'Multi-Arch', 'multi-arch', 'Conffiles', 'conffiles', 'Description', 'Depends', 'Package ', ' Package', 'P\xe1ckage');
const conffile = fc.tuple(fc.constantFrom(' ', '\t', '  '), fc.constantFrom('/etc/a', '/etc/b c', 'etc/x', '/'), fc.constantFrom(' ', ''), fc.constantFrom('d41d8cd98f00b204e9800998ecf8427e', 'ABCDEF', 'newconffile', ''), fc.constantFrom('', ' obsolete', ' remove-on-upgrade', ' obsolete remove-on-upgrade', '\r')).map((parts) => parts.join(''));
const statusLine = fc.oneof(
  { arbitrary: fc.tuple(name, value).map(([n, v]) => `${n}:${v}`), weight: 6 },
  { arbitrary: conffile, weight: 3 },
  { arbitrary: fc.constantFrom('', ' ', '\t \t', 'no colon here', ':starts with a colon', ' continued', '\r'), weight: 2 },
);
const statusText = fc.tuple(fc.array(statusLine, { maxLength: 30 }), fc.boolean()).map(([lines, nl]) => lines.join('\n') + (nl ? '\n' : ''));
/** Stanzas as dpkg writes them, so that most generated packages are installed. */
const stanza = fc
  .tuple(fc.constantFrom('p', 'q', 'l\xf6b'), fc.constantFrom('install ok installed', 'hold ok installed', 'deinstall ok config-files', ' install  ok\tinstalled\xa0'), fc.array(conffile, { maxLength: 3 }), fc.array(statusLine, { maxLength: 3 }))
  .map(([p, s, c, extra]) => [`Package: ${p}`, `Status: ${s}`, 'Architecture: amd64', ...(c.length ? ['Conffiles:', ...c] : []), ...extra].join('\n'));
const statusFile = fc.oneof(statusText, fc.array(stanza, { maxLength: 4 }).map((s) => s.join('\n\n')));

describe('the native status file reader', () => {
  it('is built', () => {
    expect(fields).toBeTypeOf('function');
  });

  it('finds the packages parseDpkgStatus finds, in any spelling of any status file', () => {
    fc.assert(
      fc.property(statusFile, (text) => {
        expect(parseDpkgStatusNatively(fields!, Buffer.from(text, 'latin1'))).toEqual(parseDpkgStatus(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads an empty file as no packages', () => {
    expect(parseDpkgStatusNatively(fields!, Buffer.alloc(0))).toEqual([]);
  });
});
