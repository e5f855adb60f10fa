import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPackageDb } from '#backup/adapters/package-db/package-db-choice.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';
import { buildRpmRoot, type RpmRoot } from '#test/support/rpm-root.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean();
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'cave-choice-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** A one-package dpkg database written by hand into `root`. */
function addDpkgDatabase(root: string): void {
  mkdirSync(join(root, 'var/lib/dpkg/info'), { recursive: true });
  writeFileSync(join(root, 'var/lib/dpkg/status'), 'Package: deb-tool\nStatus: install ok installed\nArchitecture: all\n');
  writeFileSync(join(root, 'var/lib/dpkg/info/deb-tool.list'), '/usr\n/usr/bin/deb-tool\n');
}

describe('--package-db auto|rpm|dpkg|none', () => {
  it('says plainly when auto finds no database, and nothing when none was asked for', async () => {
    const root = tempRoot();
    expect(await loadPackageDb('auto', { root })).toEqual({
      database: undefined,
      note: `no rpm or dpkg database found in ${root}: everything found is listed as new`,
    });
    expect(await loadPackageDb('none', { root })).toEqual({ database: undefined });
  });

  it('loads the dpkg database of a Debian root, with ownership only when asked', async () => {
    const root = tempRoot();
    addDpkgDatabase(root);
    const { database, note } = await loadPackageDb('auto', { root, verify: 'none' });
    expect(note).toBeUndefined();
    expect(database?.source).toBe(`dpkg database ${root}/var/lib/dpkg`);
    expect([...(database?.files ?? [])].map((f) => [f.path, f.package, f.verifyFlags])).toEqual([
      ['/usr', 'deb-tool', 0],
      ['/usr/bin/deb-tool', 'deb-tool', 0],
    ]);
    await expect(loadPackageDb('rpm', { root })).rejects.toThrow(PackageDatabaseError);
  });

  it('takes both databases of a root that holds both', async () => {
    const sys: RpmRoot = await buildRpmRoot([{ name: 'rpm-tool', paths: [{ path: '/usr/bin/rpm-tool', content: 'x\n' }] }]);
    cleanups.push(() => sys.remove());
    addDpkgDatabase(sys.root);
    const { database } = await loadPackageDb('auto', { root: sys.root });
    expect(database?.packageCount).toBe(2);
    expect(database?.source).toMatch(/^dpkg database .* and rpm database /);
    expect(new Set([...(database?.files ?? [])].map((f) => f.package.split('-').slice(0, 2).join('-')))).toEqual(new Set(['deb-tool', 'rpm-tool']));
    expect((await loadPackageDb('dpkg', { root: sys.root })).database?.packageCount).toBe(1);
    expect((await loadPackageDb('rpm', { root: sys.root })).database?.packageCount).toBe(1);
  });

  it('keeps the dpkg database and says so when the rpm one beside it cannot be read', async () => {
    const root = tempRoot();
    addDpkgDatabase(root);
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    writeFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'), 'not a database');
    const { database, note } = await loadPackageDb('auto', { root });
    expect(database?.packageCount).toBe(1);
    expect(note).toMatch(/^an rpm database was found but not read \(.+\); files only rpm owns are listed as new$/s);
  });
});
