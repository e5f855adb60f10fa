import { execFile } from 'node:child_process';
import { chmodSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '#backup/adapters/digest-cache/digest-cache.js';
import { parseTextList } from '#backup/report/list/flat-list.js';
import { bins, childEnv } from '#test/support/child-env.js';
import { buildRpmRoot, type RpmRoot } from '#test/support/rpm-root.js';
import { at, rpmGhosts, rpmOwnsEach, rpmVerifyAll, snapshot, walkTree } from './real-tree.js';

const run = promisify(execFile);
let sys: RpmRoot;
let rpmArgs: string[];
let cacheHome: string;

/** Runs the built CLI on the test system; resolves with exit code and raw output. */
async function cli(args: string[], env: Record<string, string> = { XDG_CACHE_HOME: cacheHome }) {
  try {
    const r = await run(process.execPath, [bins.whatToBackup, '--root', sys.root, ...args], { env: childEnv(env), encoding: 'buffer', maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr.toString() };
  } catch (error) {
    const e = error as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr.toString() };
  }
}

const nulList = (stdout: Buffer) => stdout.toString('latin1').split('\0').slice(0, -1);

/**
 * Waits until every file of the test system last changed more than the digest cache's settling
 * time ago: only then does a scan keep its digest (a test that wants digests reused waits; their
 * times cannot be aged instead, as utimes sets the mtime but the ctime becomes the kernel's now).
 * rpm's own database files are left out: every query touches them, and no scan hashes them.
 */
async function settled(): Promise<void> {
  let newest = 0;
  for (const e of walkTree(sys.root)) {
    const s = e.type === 'file' && !e.path.startsWith(`${sys.dbpath}/`) ? lstatSync(at(sys.root, e.path)) : undefined;
    if (s) newest = Math.max(newest, s.mtimeMs, s.ctimeMs);
  }
  const wait = newest + SETTLE_MS + 50 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

beforeAll(async () => {
  cacheHome = mkdtempSync(join(tmpdir(), 'cave-cache-'));
  const f = (path: string, content: string, mode?: number) => ({ path, content, ...(mode ? { mode } : {}) });
  sys = await buildRpmRoot([
    {
      name: 'core',
      paths: [
        f('/usr/lib/core/intact', 'intact\n'),
        f('/usr/lib/core/same-size', 'abcdef\n'),
        f('/usr/lib/core/resized', 'short\n'),
        f('/usr/lib/core/chmod', 'mode\n'),
        f('/usr/lib/core/mtime-only', 'touched\n'),
        f('/usr/lib/core/removed', 'gone soon\n'),
        f('/usr/lib/core/sub/deep/one', '1\n'),
        f('/usr/lib/core/sub/deep/two', '2\n'),
        { path: '/usr/lib/core/link', kind: 'symlink', target: 'intact' },
        { path: '/usr/share/core/emptydir', kind: 'dir' },
        { path: '/etc/core.conf', content: 'setting=1\n', config: true },
        { path: '/var/log/core.log', content: '', ghost: true },
        f('/usr/share/shared/file', 'shared\n'),
        f('/lib/usrmove/thing', 'moved to /usr/lib by the usr merge\n'),
      ],
    },
    { name: 'other', paths: [f('/usr/share/shared/file', 'shared\n'), f('/usr/bin/other', '#!/bin/sh\n', 0o755)] },
  ]);
  rpmArgs = ['--root', sys.root, '--dbpath', sys.dbpath];
  const r = sys.root;
  // The usr merge: /lib becomes a symlink to usr/lib, while the database still says /lib/...
  mkdirSync(`${r}/usr/lib`, { recursive: true });
  renameSync(`${r}/lib/usrmove`, `${r}/usr/lib/usrmove`);
  rmdirSync(`${r}/lib`);
  symlinkSync('usr/lib', `${r}/lib`);
  // Changes to package files.
  writeFileSync(`${r}/usr/lib/core/same-size`, 'ABCDEF\n');
  writeFileSync(`${r}/usr/lib/core/resized`, 'much longer now\n');
  chmodSync(`${r}/usr/lib/core/chmod`, 0o600);
  utimesSync(`${r}/usr/lib/core/mtime-only`, 1_000_000, 1_000_000);
  unlinkSync(`${r}/usr/lib/core/removed`);
  unlinkSync(`${r}/usr/lib/core/link`);
  symlinkSync('elsewhere', `${r}/usr/lib/core/link`);
  writeFileSync(`${r}/etc/core.conf`, 'setting=2\n');
  mkdirSync(`${r}/var/log`, { recursive: true });
  writeFileSync(`${r}/var/log/core.log`, 'log line\n');
  chmodSync(`${r}/var/log/core.log`, 0o644);
  // Things no package owns, odd names among package files, links, an empty folder.
  writeFileSync(`${r}/etc/core.conf.rpmnew`, 'setting=1\n');
  writeFileSync(at(r, '/usr/lib/core/odd\nname'), 'newline in name\n');
  writeFileSync(at(r, '/usr/lib/core/caf\xe9 latin1'), 'not UTF-8\n');
  writeFileSync(at(r, '/usr/lib/core/with space'), 'space\n');
  mkdirSync(`${r}/home/me/docs`, { recursive: true });
  writeFileSync(`${r}/home/me/docs/a.txt`, 'a\n');
  linkSync(`${r}/home/me/docs/a.txt`, `${r}/home/me/docs/hard-link`);
  symlinkSync('docs/a.txt', `${r}/home/me/link`);
  mkdirSync(`${r}/srv/empty`, { recursive: true });
  symlinkSync('/nowhere', `${r}/usr/lib/core/dangling`);
}, 180_000);

afterAll(async () => {
  await sys?.remove();
  rmSync(cacheHome, { recursive: true, force: true });
});

describe('what-to-backup on a real rpm system', () => {
  it('lists exactly what rpm -Va and rpm -qf say must be saved: nothing missed, nothing extra', async () => {
    const { code, stdout, stderr } = await cli(['-0', '--no-builtin-rules']);
    expect(stderr).toContain('checked against rpm database');
    expect(code).toBe(0);
    const listed = nulList(stdout);

    // The slow obvious answer, straight from rpm.
    // Expanded to files (every non-directory), plus empty directories no package owns, which a
    // restore must recreate. An owned empty directory may ride along inside a saved folder.
    const tree = walkTree(sys.root).filter((e) => e.type !== 'directory' || e.empty);
    const verdicts = await rpmVerifyAll(rpmArgs);
    const ghosts = await rpmGhosts(rpmArgs);
    const owned = await rpmOwnsEach(rpmArgs, tree.map((e) => e.path));
    const changed = (v: string | undefined) => v !== undefined && v !== 'missing' && /[^.T]/.test(v);
    const expected = tree.filter((e, i) => !owned[i] || changed(verdicts.get(e.path)) || ghosts.has(e.path)).map((e) => e.path);
    const ownedEmptyDirs = new Set(tree.filter((e, i) => owned[i] && e.type === 'directory').map((e) => e.path));

    const covered = (path: string) => listed.some((l) => l === path || (l.endsWith('/') && (l === '/' || path.startsWith(l))));
    const got = tree.filter((e) => covered(e.path) && !ownedEmptyDirs.has(e.path)).map((e) => e.path);
    expect(got.sort()).toEqual(expected.sort());
    expect(ownedEmptyDirs).toEqual(new Set(['/usr/share/core/emptydir']));
    // Sanity of the fixture itself: rpm agrees on the interesting cases.
    expect(verdicts.get('/usr/lib/core/mtime-only')).toBe('.......T.');
    expect(verdicts.get('/usr/lib/core/removed')).toBe('missing');
    expect(expected).toEqual(expect.arrayContaining(['/usr/lib/core/same-size', '/usr/lib/core/caf\xe9 latin1', '/srv/empty', '/var/log/core.log']));
    expect(expected).not.toContain('/usr/lib/usrmove/thing');
    // Every listed path exists.
    const all = new Set(walkTree(sys.root).map((e) => e.path));
    expect(listed.filter((l) => !all.has(l === '/' ? l : l.replace(/\/$/, '')))).toEqual([]);
  });

  it('reports the missing package file and rpm\'s verdicts', async () => {
    const { stdout, stderr } = await cli(['--json']);
    expect(stderr).toMatch(/1 package-owned paths are missing/);
    expect(stderr).toContain('/usr/lib/core/removed  (core-1.0-1.noarch)');
    const json = JSON.parse(stdout.toString('utf8')) as { scan: { missing: Array<{ path: string }>; database: string } };
    expect(json.scan.missing.map((m) => m.path)).toEqual(['/usr/lib/core/removed']);
    expect(json.scan.database).toContain('/var/lib/rpm');
    const text = stdout.toString('utf8');
    expect(text).toMatch(/"reason": "S\.5\.\.\.\.[.T]\."/); // T too when the rewrite fell in a later second
    expect(text).toContain('"reason": ".M......."');
  });

  it('escapes odd names in the text list, one path per line', async () => {
    const { stdout } = await cli([]);
    const text = stdout.toString('utf8');
    expect(text).toContain('/usr/lib/core/odd\\nname\n');
    expect(text).toContain('/usr/lib/core/caf\\xe9 latin1\n');
    expect(parseTextList(text)).toEqual(nulList((await cli(['-0'])).stdout));
  });

  it('with --quick reads no content: the same-size change goes unnoticed, and it says so', async () => {
    const { stdout, stderr } = await cli(['-0', '--quick']);
    const listed = nulList(stdout);
    expect(listed).not.toContain('/usr/lib/core/same-size');
    expect(listed).toContain('/usr/lib/core/resized');
    expect(stderr).toContain('quick scan');
  });

  it('never writes: every entry\'s content, mode and timestamps are the same after a scan', async () => {
    // rpm itself touches its sqlite shared-memory and write-ahead log files when queried (measured:
    // -shm mtime and -wal ctime change on every `rpm -qa`); those are rpm's writes, not the scanner's.
    const rpmShm = (p: string) => /^\/var\/lib\/rpm\/rpmdb\.sqlite-(shm|wal)$/.test(p);
    const before = snapshot(sys.root, rpmShm);
    expect((await cli(['-0'])).code).toBe(0);
    expect(snapshot(sys.root, rpmShm)).toEqual(before);
    const all = snapshot(sys.root);
    expect((await cli(['-0', '--package-db', 'none'])).code).toBe(0);
    expect(snapshot(sys.root)).toEqual(all);
  });

  it('reuses digests from its cache on a rescan, ignores a corrupt cache, and writes none with --no-cache', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cave-cache-'));
    try {
      await settled();
      const first = await cli(['-0'], { XDG_CACHE_HOME: home });
      expect(first.stderr).toMatch(/digest cache .*: 0 digests reused/);
      const [file] = readdirSync(join(home, 'what-to-backup')).filter((f) => f.startsWith('digests-'));
      const second = await cli(['-0'], { XDG_CACHE_HOME: home });
      expect(second.stderr).toMatch(/digest cache .*: [1-9]\d* digests reused/);
      expect(second.stdout).toEqual(first.stdout);
      writeFileSync(join(home, 'what-to-backup', file!), 'not a cache\n');
      const third = await cli(['-0'], { XDG_CACHE_HOME: home });
      expect(third.stderr).toMatch(/0 digests reused \(a corrupt cache was ignored\)/);
      expect(third.stdout).toEqual(first.stdout);
      rmSync(join(home, 'what-to-backup'), { recursive: true });
      await cli(['-0', '--no-cache'], { XDG_CACHE_HOME: home });
      expect(readdirSync(home)).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('notices on a cached rescan a file rewritten since the cache was written, same size and mtime', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cave-cache-'));
    const file = `${sys.root}/usr/lib/core/intact`;
    const before = statSync(file);
    try {
      await settled(); // else intact's digest is not kept, and the rescan would read it anyway
      expect(nulList((await cli(['-0'], { XDG_CACHE_HOME: home })).stdout)).not.toContain('/usr/lib/core/intact');
      writeFileSync(file, 'INTACT\n'); // same size; only the ctime tells, once the mtime is put back
      utimesSync(file, before.atime, before.mtime);
      const rescan = await cli(['-0'], { XDG_CACHE_HOME: home });
      expect(rescan.stderr).toMatch(/digest cache .*: [1-9]\d* digests reused/);
      expect(nulList(rescan.stdout)).toContain('/usr/lib/core/intact');
    } finally {
      writeFileSync(file, 'intact\n');
      utimesSync(file, before.atime, before.mtime);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('leaves its own cache folder out when it lies inside the scanned system, with --quick too (rpm\'s answer is kept there)', async () => {
    const inside = join(sys.root, 'root/.cache');
    try {
      const { stdout } = await cli(['-0'], { XDG_CACHE_HOME: inside });
      const listed = nulList(stdout);
      expect(listed.filter((l) => l.startsWith('/root'))).toEqual([]);
      expect(readdirSync(join(inside, 'what-to-backup')).filter((f) => f.startsWith('digests-'))).toHaveLength(1);
      const quick = nulList((await cli(['-0', '--quick'], { XDG_CACHE_HOME: inside })).stdout);
      expect(quick.filter((l) => l.startsWith('/root/'))).toEqual([]); // the folder itself shows once it exists, as before
    } finally {
      rmSync(join(sys.root, 'root'), { recursive: true, force: true });
    }
  });

  it('fails loudly, with exit 2, when the database path holds no database', async () => {
    const { code, stdout, stderr } = await cli(['--dbpath', '/wrong']);
    expect(code).toBe(2);
    expect(stdout.length).toBe(0);
    expect(stderr).toMatch(/lists no packages/);
  });
});
