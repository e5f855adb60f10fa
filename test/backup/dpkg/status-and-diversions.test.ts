import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStanzas } from '#backup/domain/dpkg/control-stanzas.js';
import { divertedPath, parseDiversions } from '#backup/domain/dpkg/diversions.js';
import { infoName, parseConffileLine, parseDpkgStatus } from '#backup/domain/dpkg/status-file.js';
import { absolutePath, lineBytes, md5Hex } from './byte-strings.js';

const status = `Package: base-files
Status: install ok installed
Architecture: amd64
Conffiles:
 /etc/debian_version 6c3e4b2b0f0b0a9f0e9c2e3f5a6b7c8d
 /etc/old thing 0123456789abcdef0123456789abcdef obsolete
 /etc/dpkg/hook newconffile remove-on-upgrade
Description: Debian base system
 miscellaneous files
 .

Package: libc6
Status: hold ok installed
Multi-Arch: same
Architecture: amd64

Package: gone
Status: deinstall ok config-files
Conffiles:
 /etc/gone.conf 0123456789abcdef0123456789abcdef

Package: half
Status: install reinstreq half-installed
`;

describe('the dpkg status file', () => {
  it('lists only installed packages, with their conffiles and markers', () => {
    const installed = parseDpkgStatus(status);
    expect(installed.map(infoName)).toEqual(['base-files', 'libc6:amd64']);
    expect(installed[0]!.conffiles).toEqual([
      { path: '/etc/debian_version', digest: '6c3e4b2b0f0b0a9f0e9c2e3f5a6b7c8d', obsolete: false, removeOnUpgrade: false },
      { path: '/etc/old thing', digest: '0123456789abcdef0123456789abcdef', obsolete: true, removeOnUpgrade: false },
      { path: '/etc/dpkg/hook', digest: 'newconffile', obsolete: false, removeOnUpgrade: true },
    ]);
    expect(installed[1]).toMatchObject({ name: 'libc6', architecture: 'amd64', multiArchSame: true, conffiles: [] });
  });

  it('reads field names case-insensitively and ignores lines that are not fields', () => {
    const [stanza] = parseStanzas('PACKAGE: x\nnot a field\n\tcontinued\nstatus:install ok installed\n');
    expect(stanza!.get('package')).toEqual({ first: 'x', more: ['\tcontinued'] });
    expect(parseDpkgStatus('PACKAGE: x\nstatus:install ok installed\n').map(infoName)).toEqual(['x']);
  });

  it('reads a conffile on the field line and names a package without architecture plainly', () => {
    const [pkg] = parseDpkgStatus(`Package: odd\nStatus: install ok installed\nMulti-Arch: same\nConffiles: /etc/odd ${'a'.repeat(32)}\n`);
    expect(pkg!.conffiles.map((c) => c.path)).toEqual(['/etc/odd']);
    expect(infoName(pkg!)).toBe('odd');
  });

  it('skips a stanza without a package name and a conffile line it cannot read', () => {
    expect(parseDpkgStatus('Status: install ok installed\n')).toEqual([]);
    expect(parseConffileLine(' nohash')).toBeUndefined();
    expect(parseConffileLine(' relative 0123')).toBeUndefined();
    expect(parseConffileLine(' /etc/x ')).toBeUndefined();
  });

  it('reads back any conffile path, spaces included, with any markers', () => {
    fc.assert(
      fc.property(absolutePath, md5Hex, fc.boolean(), fc.boolean(), (path, digest, obsolete, removeOnUpgrade) => {
        const line = ` ${path} ${digest}${obsolete ? ' obsolete' : ''}${removeOnUpgrade ? ' remove-on-upgrade' : ''}`;
        expect(parseConffileLine(line)).toEqual({ path, digest, obsolete, removeOnUpgrade });
      }),
    );
  });
});

describe('the dpkg diversions file', () => {
  const text = '/usr/bin/pg_config\n/usr/bin/pg_config.libpq-dev\npostgresql-common\n/etc/x\n/etc/x.orig\n:\n';

  it('reads triples, `:` as a local diversion', () => {
    expect(parseDiversions(text)).toEqual([
      { from: '/usr/bin/pg_config', to: '/usr/bin/pg_config.libpq-dev', by: 'postgresql-common' },
      { from: '/etc/x', to: '/etc/x.orig', by: undefined },
    ]);
    expect(parseDiversions('')).toEqual([]);
    expect(parseDiversions('/a\n/b\n')).toEqual([]);
    expect(parseDiversions('/a\n/b\n:')).toEqual([{ from: '/a', to: '/b', by: undefined }]);
  });

  it('puts a package file at the diverted path unless the package is the diverting one', () => {
    const byFrom = new Map(parseDiversions(text).map((d) => [d.from, d]));
    expect(divertedPath('/usr/bin/pg_config', 'libpq-dev', byFrom)).toBe('/usr/bin/pg_config.libpq-dev');
    expect(divertedPath('/usr/bin/pg_config', 'postgresql-common', byFrom)).toBe('/usr/bin/pg_config');
    expect(divertedPath('/etc/x', 'anyone', byFrom)).toBe('/etc/x.orig');
    expect(divertedPath('/etc/y', 'anyone', byFrom)).toBe('/etc/y');
  });

  it('reads back any byte-string triples', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lineBytes, lineBytes, fc.option(lineBytes.filter((b) => b !== ':'), { nil: undefined }))), (triples) => {
        const text = triples.map(([from, to, by]) => `${from}\n${to}\n${by ?? ':'}\n`).join('');
        expect(parseDiversions(text)).toEqual(triples.map(([from, to, by]) => ({ from, to, by })));
      }),
    );
  });
});
