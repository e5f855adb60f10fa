import fc from 'fast-check';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { OwnershipIndex } from '#backup/scan/ownership-index.js';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';
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

describe('the ownership index against the plain rule (every record where its path resolves to)', () => {
  // Folders real, symlinked (relative, absolute, to a folder that is not there), spelt oddly or absent; names plain, odd, repeated, not ASCII.
  const vol = new Volume();
  for (const dir of ['/usr/lib/x', '/usr/bin', '/opt/y']) vol.mkdirSync(dir, { recursive: true });
  vol.symlinkSync('usr/lib', '/lib');
  vol.symlinkSync('/opt', '/o');
  vol.symlinkSync('gone', '/usr/gone');
  const memfs = new MemfsFileSystem(vol);
  const folders = [undefined, '', '/usr', '/usr/lib', '/lib', '/lib/x', '/usr/lib/x', '/o/y', '/opt/y', '/usr/gone', '/usr/./bin', '/usr/lib/../bin', '/none/z', '/usr/bin/', '/usr/lib/x/deep', '/lib/x/deep', '/o/y/deep', '/none/z/w'];
  const names = ['a', 'b', 'ab', 'ba', '.', '..', '', 'caf\xe9', 'x\x01y', 'lib', 'long-name-of-a-file.so.1'];
  const recordArb = fc.record({ folder: fc.constantFrom(...folders), name: fc.constantFrom(...names), pkg: fc.constantFrom('p0', 'p1', 'p2') });

  /** What lstat then readlink say of one path, as the index's own probe has it. */
  const linkTarget = (path: string) => {
    try {
      return memfs.lstat(path).type === 'symlink' ? memfs.readlink(path) : undefined;
    } catch {
      return undefined;
    }
  };
  /** The same file system, answering many paths at once as the addon does (node-fs.ts). */
  const asking = Object.assign(Object.create(memfs) as MemfsFileSystem, { linkTargets: (paths: readonly string[]) => paths.map(linkTarget) });

  it.each([
    ['one path at a time', memfs],
    ['many paths asked ahead', asking],
  ])('gives each path exactly the records that resolve to it, in database order, and leaves unclaimed exactly the rest (%s)', (_, fs) => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 20 }), (picked, claims) => {
        const records = picked.map(({ folder, name, pkg }) => record(folder === undefined ? name : `${folder}/${name}`, pkg));
        const resolve = createPathResolver(linkTarget);
        const where = records.map((r) => resolve(r.path));
        const index = new OwnershipIndex({ source: 'test', packageCount: 3, files: OwnedFileTable.from(records) }, fs);
        const paths = [...new Set([...where, '/usr/lib/a', '/lib/a', '/a', '/usr/bin/a', '/opt/y/ab'])];
        for (const path of paths) expect(index.owners(path), path).toEqual(records.filter((_, i) => where[i] === path));
        const claimed = new Set(claims.map((k) => paths[k % paths.length]!));
        for (const path of claimed) expect(index.claim(path)).toEqual(records.filter((_, i) => where[i] === path));
        // Each path once, with all its records in database order: one both keyed and spelt oddly too.
        const unclaimed = [...index.unclaimed()];
        expect(unclaimed.map(([path]) => path).sort()).toEqual([...new Set(where.filter((path) => !claimed.has(path)))].sort());
        for (const [path, owners] of unclaimed) expect(owners, path).toEqual(records.filter((_, i) => where[i] === path));
      }),
      { numRuns: 300 },
    );
  });
});
