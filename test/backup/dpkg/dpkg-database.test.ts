import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectPackageDb } from '#backup/adapters/package-db/package-db-choice.js';
import { DpkgDatabase } from '#backup/adapters/dpkg/dpkg-database.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';

let root: string;
let admindir: string;
const write = (path: string, content: string | Buffer) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
};
const stanza = (name: string, extra = '') => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\n${extra ? `${extra}\n` : ''}\n`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cave-dpkgdb-'));
  admindir = join(root, 'var/lib/dpkg');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the dpkg database adapter', () => {
  it('says where it looked when there is no status file', async () => {
    const load = new DpkgDatabase({ root }).load();
    await expect(load).rejects.toThrow(PackageDatabaseError);
    await expect(load).rejects.toThrow(`no dpkg database at ${admindir}`);
  });

  it('refuses a database with no installed package instead of calling everything new', async () => {
    write('var/lib/dpkg/status', 'Package: gone\nStatus: deinstall ok config-files\n');
    await expect(new DpkgDatabase({ root }).load()).rejects.toThrow('lists no installed packages');
  });

  it('reports a database it cannot read', async () => {
    mkdirSync(join(admindir, 'status'), { recursive: true });
    await expect(new DpkgDatabase({ root }).load()).rejects.toThrow(`cannot read ${admindir}/status`);
  });

  it('finds Multi-Arch info files by their arch-qualified name, and says which package has no list', async () => {
    write('var/lib/dpkg/status', stanza('libx', 'Multi-Arch: same') + stanza('tool') + stanza('ghostly'));
    write('var/lib/dpkg/info/libx:amd64.list', '/usr\n/usr/lib/libx.so\n');
    write('var/lib/dpkg/info/libx:amd64.md5sums', `${'a'.repeat(32)}  usr/lib/libx.so\n`);
    write('var/lib/dpkg/info/tool.list', Buffer.from('/usr\n/usr/bin/t\xf6\xf6l\n', 'latin1'));
    const db = await new DpkgDatabase({ admindir }).load();
    expect(db.packageCount).toBe(3);
    expect(db.source).toBe(`dpkg database ${admindir} (no file list for ghostly: taken to own nothing, as dpkg does)`);
    expect([...db.files].map((f) => [f.path, f.package, f.digest])).toEqual([
      ['/usr', 'libx:amd64', ''],
      ['/usr/lib/libx.so', 'libx:amd64', 'a'.repeat(32)],
      ['/usr', 'tool', ''],
      ['/usr/bin/t\xf6\xf6l', 'tool', ''],
    ]);
  });

  it('loads ownership only with verify=none', async () => {
    write('var/lib/dpkg/status', stanza('libx'));
    write('var/lib/dpkg/info/libx.list', '/usr\n/usr/lib/libx.so\n');
    write('var/lib/dpkg/info/libx.md5sums', `${'a'.repeat(32)}  usr/lib/libx.so\n`);
    const db = await new DpkgDatabase({ root: `${root}/`, verify: 'none' }).load();
    expect([...db.files].map((f) => [f.path, f.verifyFlags, f.digest])).toEqual([
      ['/usr', 0, ''],
      ['/usr/lib/libx.so', 0, ''],
    ]);
  });
});

describe('package database detection', () => {
  it('tells dpkg, rpm, both and none apart by the root files alone', () => {
    expect(detectPackageDb(root)).toBe('none');
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    expect(detectPackageDb(root)).toBe('none');
    write('var/lib/dpkg/status', '');
    expect(detectPackageDb(`${root}/`)).toBe('dpkg');
    write('usr/lib/sysimage/rpm/rpmdb.sqlite', '');
    expect(detectPackageDb(root)).toBe('both');
    rmSync(join(admindir, 'status'));
    expect(detectPackageDb(root)).toBe('rpm');
  });

  it('finds this Debian machine a dpkg system', () => {
    expect(detectPackageDb()).toBe('dpkg');
  });
});
