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

  it('claims with each record as the database has it: its own path, whatever folder the walk found it in', () => {
    const vol2 = new Volume();
    vol2.mkdirSync('/usr/lib', { recursive: true });
    vol2.mkdirSync('/usr/bin', { recursive: true });
    vol2.symlinkSync('usr/lib', '/lib');
    const files = [record('/lib/one.so', 'moved'), record('/usr/bin/tool', 'plain'), record('/usr/lib/two.so', 'plain')];
    const owners = new OwnershipIndex({ source: 'test', packageCount: 2, files: OwnedFileTable.from(files) }, new MemfsFileSystem(vol2));
    // Siblings and folders of every length in turn, as a walk asks, and again.
    for (let round = 0; round < 2; round++) {
      expect(owners.claim('/usr/lib/one.so')).toEqual([files[0]]);
      expect(owners.claim('/usr/bin/tool')).toEqual([files[1]]);
      expect(owners.claim('/usr/bin/toolx')).toEqual([]);
      expect(owners.claim('/usr/lib/two.so')).toEqual([files[2]]);
      expect(owners.claim('/usr/lib')).toEqual([]);
      expect(owners.claim('/lib/one.so')).toEqual([]);
      expect(owners.claim('/usr/lib/one.so')).toEqual([files[0]]);
    }
    expect([...owners.unclaimed()]).toEqual([]);
  });
});

describe('the ownership index at its edges', () => {
  it('answers no owner for any path when the database owns nothing, and claims a path spelt oddly (the root) with its owners', () => {
    const vol = new Volume();
    vol.mkdirSync('/usr', { recursive: true });
    const empty = new OwnershipIndex({ source: 'test', packageCount: 0, files: OwnedFileTable.from([]) }, new MemfsFileSystem(vol));
    expect(empty.owners('/usr')).toEqual([]);
    expect(empty.claim('/usr')).toEqual([]);
    const files = [record('/', 'filesystem'), record('/', 'setup'), record('/usr', 'filesystem')];
    const index = new OwnershipIndex({ source: 'test', packageCount: 2, files: OwnedFileTable.from(files) }, new MemfsFileSystem(vol));
    expect(index.claim('/').map((o) => o.package)).toEqual(['filesystem', 'setup']);
    expect(index.claim('/usr').map((o) => o.package)).toEqual(['filesystem']);
    expect([...index.unclaimed()]).toEqual([]);
  });
});
