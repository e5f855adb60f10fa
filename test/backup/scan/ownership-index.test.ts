import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { OwnershipIndex } from '#backup/scan/ownership-index.js';
import { MemfsFileSystem } from '#sim/backup/memfs-file-system.js';

const record = (path: string, pkg: string): OwnedFile => ({
  path,
  package: pkg,
  size: 0n,
  mode: 0o100644,
  digest: '',
  digestAlgo: undefined,
  mtime: 0n,
  linkTarget: '',
  user: 'root',
  group: 'root',
  rdev: 0,
  flags: { config: false, ghost: false, doc: false, missingOk: false },
  verifyFlags: 0,
  state: 'normal',
});

describe('the ownership index over the compact table', () => {
  const vol = new Volume();
  vol.mkdirSync('/usr/lib', { recursive: true });
  vol.symlinkSync('usr/lib', '/lib');
  const records = [
    record('/', 'filesystem'),
    record('/usr', 'filesystem'),
    record('/lib/libc.so', 'glibc'),
    record('/usr/./share/../lib/libm.so', 'glibc'),
    record('/usr', 'setup'),
    record('/usr/lib/caf\xe9', 'odd'),
    record('/usr/lib/libc.so', 'compat'),
  ];
  const index = () => new OwnershipIndex({ source: 'test', packageCount: 5, files: OwnedFileTable.from(records) }, new MemfsFileSystem(vol));

  it('finds every owner of a path where the walk meets it, symlinked folders and odd spellings resolved, in database order', () => {
    const owners = index();
    expect(owners.owners('/').map((o) => o.package)).toEqual(['filesystem']);
    expect(owners.owners('/usr').map((o) => o.package)).toEqual(['filesystem', 'setup']);
    expect(owners.owners('/usr/lib/libc.so').map((o) => [o.path, o.package])).toEqual([
      ['/lib/libc.so', 'glibc'],
      ['/usr/lib/libc.so', 'compat'],
    ]);
    expect(owners.owners('/usr/lib/libm.so').map((o) => o.package)).toEqual(['glibc']);
    expect(owners.owners('/usr/lib/caf\xe9').map((o) => o.package)).toEqual(['odd']);
    expect(owners.owners('/lib/libc.so')).toEqual([]);
    expect(owners.owners('/usr/lib/libd.so')).toEqual([]);
  });

  it('lists as unclaimed exactly the owned paths the walk did not claim', () => {
    const owners = index();
    owners.claim('/usr');
    owners.claim('/usr/lib/libm.so');
    const rest = [...owners.unclaimed()].map(([path, recs]) => [path, recs.map((r) => r.package)]).sort();
    expect(rest).toEqual([
      ['/', ['filesystem']],
      ['/usr/lib/caf\xe9', ['odd']],
      ['/usr/lib/libc.so', ['glibc', 'compat']],
    ]);
  });
});
