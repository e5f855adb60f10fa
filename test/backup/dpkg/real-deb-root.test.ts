import { chmodSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DpkgDatabase } from '#backup/adapters/dpkg/dpkg-database.js';
import { verifyPackageFiles, type PackageFileVerdict } from './dpkg-verify.js';
import { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import { parseDpkgStatus } from '#backup/domain/dpkg/status-file.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';
import { scan, type ScanReport } from '#backup/scan/scan.js';
import { buildDebRoot, type DebPath, type DebRoot } from '#test/support/deb-root.js';
import { ownersWhereFilesAre, parseDpkgSearch, parseDpkgVerify } from './dpkg-output.js';

let sys: DebRoot;
let fs: NodeFileSystem;
let digester: WorkerDigester;
let db: PackageDatabase;
let ours: PackageFileVerdict[];

const f = (path: string, content: string, extra: { config?: boolean; mode?: number } = {}): DebPath => ({ path, content, ...extra });
const host = (path: string) => Buffer.from(`${sys.root}${path}`, 'latin1');
const line = (missing: boolean, config: boolean, path: string) => `${missing ? 'missing ' : 'modified'} ${config ? 'c' : ' '} ${path}`;

beforeAll(async () => {
  sys = await buildDebRoot(
    [
      {
        name: 'cave-core',
        paths: [
          f('/etc/cave/cave.conf', 'setting = 1\n', { config: true }),
          f('/etc/cave/quiet.conf', 'quiet\n', { config: true }),
          f('/etc/cave/removed.conf', 'gone\n', { config: true }),
          f('/usr/share/cave/intact', 'intact\n'),
          f('/usr/share/cave/same-size', 'abcdef\n'),
          f('/usr/share/cave/resized', 'short\n'),
          f('/usr/share/cave/chmod-only', 'mode\n'),
          f('/usr/share/cave/touched', 'mtime\n'),
          f('/usr/share/cave/removed', 'gone soon\n'),
          f('/usr/share/cave/with space/a file', 'spaced\n'),
          f('/usr/share/cave/caf\xe9', 'latin-1 name\n'),
          f('/usr/share/cave/caf\xe9 intact', 'latin-1 name, intact\n'),
          f('/usr/share/cave/now-a-link', 'a file\n'),
          { path: '/usr/share/cave/link', kind: 'symlink', target: 'intact' },
          { path: '/usr/share/cave/link-intact', kind: 'symlink', target: 'intact' },
          f('/bin/cave-tool', '#!/bin/sh\n', { mode: 0o755 }),
          f('/usr/share/cave2/pkg-diverted', 'the diverting package version\n'),
        ],
      },
      {
        name: 'cave-lib',
        architecture: 'amd64',
        multiArchSame: true,
        paths: [f('/usr/lib/x86_64-linux-gnu/cave/libcave.so', 'not really ELF\n'), f('/usr/share/doc/cave-lib/copyright', 'MIT\n')],
      },
      {
        name: 'cave-conf',
        paths: [f('/etc/cave-conf/old.conf', 'old = 1\n', { config: true }), f('/etc/cave-conf/kept.conf', 'kept\n', { config: true })],
      },
      {
        name: 'cave-extra',
        paths: [f('/usr/share/cave2/local-diverted', 'original\n'), f('/usr/share/cave2/pkg-diverted', 'the diverted version\n')],
      },
    ],
    {
      usrMerge: true,
      diversions: [
        { from: '/usr/share/cave2/local-diverted', to: '/usr/share/cave2/local-diverted.orig' },
        { from: '/usr/share/cave2/pkg-diverted', to: '/usr/share/cave2/pkg-diverted.real', by: 'cave-core' },
      ],
    },
  );
  // Version 2 drops old.conf: dpkg leaves the file, still listed, as an obsolete conffile.
  await sys.install([{ name: 'cave-conf', version: '2.0', paths: [f('/etc/cave-conf/kept.conf', 'kept\n', { config: true })] }]);
  writeFileSync(host('/etc/cave-conf/old.conf'), 'old = 2\n');
  writeFileSync(host('/etc/cave/cave.conf'), 'setting = 2\n');
  rmSync(host('/etc/cave/removed.conf'));
  writeFileSync(host('/usr/share/cave/same-size'), 'ABCDEF\n');
  writeFileSync(host('/usr/share/cave/resized'), 'much longer than before\n');
  chmodSync(host('/usr/share/cave/chmod-only'), 0o600);
  utimesSync(host('/usr/share/cave/touched'), 1_000_000, 1_000_000);
  rmSync(host('/usr/share/cave/removed'));
  writeFileSync(host('/usr/share/cave/with space/a file'), 'changed\n');
  writeFileSync(host('/usr/share/cave/caf\xe9'), 'latin-1 name, changed\n');
  unlinkSync(host('/usr/share/cave/now-a-link'));
  symlinkSync('intact', host('/usr/share/cave/now-a-link'));
  unlinkSync(host('/usr/share/cave/link'));
  writeFileSync(host('/usr/share/cave/link'), 'the admin replaced a package symlink\n');
  writeFileSync(host('/usr/bin/cave-tool'), '#!/bin/sh\necho edited\n');
  writeFileSync(host('/usr/share/cave2/local-diverted.orig'), 'edited behind the diversion\n');

  fs = new NodeFileSystem(sys.root);
  digester = new WorkerDigester((path) => fs.host(path));
  db = await new DpkgDatabase({ root: sys.root }).load();
  ours = await verifyPackageFiles([...db.files], fs, digester);
}, 120_000);

afterAll(async () => {
  await digester?.close();
  await sys?.remove();
});

/** Exactly what changed above, as dpkg would say it, with directory symlinks resolved. */
const dpkgWouldSay = [
  line(false, true, '/etc/cave/cave.conf'),
  line(false, true, '/etc/cave-conf/old.conf'),
  line(true, true, '/etc/cave/removed.conf'),
  line(false, false, '/usr/share/cave/same-size'),
  line(false, false, '/usr/share/cave/resized'),
  line(true, false, '/usr/share/cave/removed'),
  line(false, false, '/usr/share/cave/with space/a file'),
  line(false, false, '/usr/share/cave/caf\xe9'),
  line(false, false, '/usr/share/cave/now-a-link'),
  line(false, false, '/usr/bin/cave-tool'),
];
/** What dpkg --verify cannot see: a diverted file (it never checks one) and a symlink turned file. */
const beyondDpkg = [line(false, false, '/usr/share/cave2/local-diverted.orig'), line(false, false, '/usr/share/cave/link')];

describe('a real Debian root built with dpkg --root', () => {
  it('reads every installed package from the database files', () => {
    expect(db.packageCount).toBe(4);
    expect(db.source).toBe(`dpkg database ${sys.admindir}`);
    expect(new Set([...db.files].map((r) => r.package))).toEqual(new Set(['cave-core', 'cave-lib:amd64', 'cave-conf', 'cave-extra']));
  });

  it('keeps an obsolete conffile owned and checked, as dpkg still lists it after the upgrade', () => {
    const conf = parseDpkgStatus(readFileSync(`${sys.admindir}/status`, 'latin1')).find((p) => p.name === 'cave-conf')!;
    expect(conf.conffiles.map((c) => [c.path, c.obsolete])).toEqual([
      ['/etc/cave-conf/kept.conf', false],
      ['/etc/cave-conf/old.conf', true],
    ]);
    expect([...db.files].find((r) => r.path === '/etc/cave-conf/old.conf')).toMatchObject({ package: 'cave-conf', flags: { config: true } });
  });

  it('finds what dpkg --verify finds, and the diverted file and replaced symlink it misses', async () => {
    const dpkg = await sys.run('dpkg', ['--verify']);
    const resolve = createPathResolver((p) => (fs.lstat(p).type === 'symlink' ? fs.readlink(p) : undefined));
    const theirs = parseDpkgVerify(dpkg.stdout).map((l) => line(l.missing, l.config, resolve(l.path)));
    expect(theirs.sort()).toEqual([...dpkgWouldSay].sort());
    expect(ours.map((v) => line(v.missing, v.config, v.path)).sort()).toEqual([...theirs, ...beyondDpkg].sort());
  });

  it('says how each file differs', () => {
    const reason = (path: string) => ours.find((v) => v.path === path)?.reason;
    expect(reason('/usr/share/cave/same-size')).toBe('..5......');
    expect(reason('/etc/cave/cave.conf')).toBe('..5...... c');
    expect(reason('/usr/share/cave/now-a-link')).toBe('....L....');
    expect(reason('/usr/share/cave/removed')).toBe('missing');
  });

  it('gives each path the owners dpkg -S names, a diverted file to its package at the diverted path', async () => {
    // dpkg -S takes names as the packages list them: the diverted ones, not where they went.
    const listed = [...new Set([...db.files].map((r) => r.path))].filter((p) => p !== '/' && !/[\x80-\xff]/.test(p) && !/\.(orig|real)$/.test(p));
    // Arguments cannot carry Latin-1 bytes, so a pattern finds those names.
    const search = await sys.run('dpkg-query', ['-S', ...listed, '/usr/share/cave2/local-diverted', '/usr/share/cave/caf?*']);
    expect(search.code).toBe(0);
    const expected = ownersWhereFilesAre(parseDpkgSearch(search.stdout));
    const mine = new Map<string, string[]>();
    for (const r of db.files) if (r.path !== '/') mine.set(r.path, [...(mine.get(r.path) ?? []), r.package].sort());
    expect(mine).toEqual(expected);
    expect(mine.get('/usr/share/cave2/local-diverted.orig')).toEqual(['cave-extra']);
    expect(mine.get('/usr/share/cave2/pkg-diverted')).toEqual(['cave-core']);
    expect(mine.get('/usr/share/cave2/pkg-diverted.real')).toEqual(['cave-extra']);
    expect(mine.get('/usr/share/cave/caf\xe9')).toEqual(['cave-core']);
  });

  it('lets the scanner save exactly the changed package files, /bin/x found at /usr/bin/x', async () => {
    const entries: ScannedEntry[] = [];
    const report: ScanReport = await scan({
      fs,
      digester,
      accounts: { userName: () => undefined, groupName: () => undefined, uidOf: () => undefined, gidOf: () => undefined },
      database: db,
      onEntry: (e) => entries.push(e),
    });
    const modified = entries.filter((e) => e.class === 'modified').map((e) => e.path);
    const missing = report.missing.map((m) => m.path);
    const expected = [...dpkgWouldSay, ...beyondDpkg];
    expect(modified.sort()).toEqual(expected.filter((l) => l.startsWith('modified')).map((l) => l.slice(11)).sort());
    expect(missing.sort()).toEqual(expected.filter((l) => l.startsWith('missing')).map((l) => l.slice(11)).sort());
    const cls = (path: string) => entries.find((e) => e.path === path)?.class;
    expect(cls('/usr/share/cave/chmod-only')).toBe('unmodified');
    expect(cls('/usr/share/cave/touched')).toBe('unmodified');
    expect(cls('/usr/share/cave/link-intact')).toBe('unmodified');
    expect(cls('/usr/share/cave2/pkg-diverted.real')).toBe('unmodified');
    expect(cls('/var/lib/dpkg/status')).toBe('new');
  });
});
