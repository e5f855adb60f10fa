import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RpmDatabase } from '#backup/adapters/rpm/rpm-database.js';
import { RpmSnapshots, SETTLE_MS } from '#backup/adapters/rpm-snapshot/rpm-snapshot.js';
import { buildRpmRoot, type RpmRoot } from '#test/support/rpm-root.js';
import { bins, childEnv } from '#test/support/child-env.js';

let sys: RpmRoot;
/** Packages to install later: gamma, new; alpha 2.0, an upgrade. */
let spare: RpmRoot;
let work: string;
let folder: string;
let rpm: string;
let log: string;

beforeAll(async () => {
  const f = (path: string, content: string) => ({ path, content });
  [sys, spare] = await Promise.all([
    buildRpmRoot([
      { name: 'alpha', paths: [f('/usr/lib/alpha/a.txt', 'hello\n'), { path: '/usr/lib/alpha/link', kind: 'symlink', target: 'a.txt' }] },
      { name: 'beta', paths: [f('/usr/lib/beta/b.txt', 'beta\n')] },
    ]),
    buildRpmRoot([
      { name: 'gamma', paths: [f('/usr/lib/gamma/g.txt', 'gamma\n')] },
      { name: 'alpha', version: '2.0', paths: [f('/usr/lib/alpha/a.txt', 'hello again\n'), f('/usr/lib/alpha/new.txt', 'new\n')] },
    ]),
  ]);
  work = mkdtempSync(join(tmpdir(), 'cave-snapshot-'));
  // An rpm that notes each time it is run, to see whether a load queried the database.
  const real = (process.env.PATH ?? '').split(':').map((d) => join(d, 'rpm')).find((p) => existsSync(p))!;
  rpm = join(work, 'rpm');
  log = join(work, 'rpm.log');
  writeFileSync(rpm, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(rpm, 0o755);
}, 180_000);

afterAll(async () => {
  await Promise.all([sys?.remove(), spare?.remove()]);
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  folder = mkdtempSync(join(work, 'cache-'));
  writeFileSync(log, '');
});

const queries = () => readFileSync(log, 'utf8').split('\n').filter((l) => l.includes(' -qa ')).length;
/** A load as the program makes it, keeping its answer at once (settled: the test database was just written). */
async function load(snapshots = new RpmSnapshots(folder, 0)) {
  const db = new RpmDatabase({ root: sys.root, dbpath: sys.dbpath, rpm, snapshots });
  const loaded = await db.load();
  db.keep?.();
  return loaded;
}
const fresh = () => new RpmDatabase({ root: sys.root, dbpath: sys.dbpath }).load();
const spareRpm = (name: string) => join(spare.rpms, readdirSync(spare.rpms).find((f) => f.startsWith(name))!);

describe('the rpm snapshot', () => {
  it('is used instead of the query while the database is unchanged, even after other reads of it, and equals a fresh load record by record', async () => {
    const first = await load();
    expect(queries()).toBe(1);
    expect(readdirSync(folder)).toHaveLength(1);
    await sys.rpm(['-qa']); // rewrites sqlite's -shm and the -wal's ctime: no change to the data
    const second = await load();
    expect(queries()).toBe(1);
    const now = await fresh();
    expect(second.packageCount).toBe(now.packageCount);
    expect(second.source).toBe(now.source);
    expect(second.files.length).toBe(now.files.length);
    for (let i = 0; i < now.files.length; i++) expect(second.files.at(i)).toEqual(now.files.at(i));
    expect([...first.files]).toEqual([...now.files]);
  });

  it('is not used after a package is installed, removed or upgraded: each rescan sees the change', async () => {
    const packages = async () => [...new Set([...(await load()).files].map((r) => r.package))].sort();
    expect(await packages()).toEqual(['alpha-1.0-1.noarch', 'beta-1.0-1.noarch']);
    const change = async (args: string[]) => {
      await sys.rpm(args);
      const before = queries();
      const seen = await load();
      expect(queries()).toBe(before + 1);
      expect([...seen.files]).toEqual([...(await fresh()).files]);
    };
    try {
      await change(['-i', '--nodeps', '--noscripts', spareRpm('gamma')]);
      expect(await packages()).toEqual(['alpha-1.0-1.noarch', 'beta-1.0-1.noarch', 'gamma-1.0-1.noarch']);
      await change(['-e', '--nodeps', 'beta']);
      expect(await packages()).toEqual(['alpha-1.0-1.noarch', 'gamma-1.0-1.noarch']);
      await change(['-U', '--nodeps', '--noscripts', spareRpm('alpha-2.0')]);
      expect(await packages()).toEqual(['alpha-2.0-1.noarch', 'gamma-1.0-1.noarch']);
      expect([...(await load()).files].map((r) => r.path)).toContain('/usr/lib/alpha/new.txt');
      expect(readdirSync(folder)).toHaveLength(1); // one snapshot per root and database folder, replaced
    } finally {
      const installed = (await sys.rpm(['-qa', '--qf', '%{NAME}\\n'])).split('\n').filter(Boolean);
      if (installed.length) await sys.rpm(['-e', '--nodeps', ...installed]);
      await sys.rpm(['-i', '--nodeps', '--noscripts', ...readdirSync(sys.rpms).map((f) => join(sys.rpms, f))]);
    }
  });

  it('falls back to the query when the snapshot is cut short, damaged or not one, and writes it again', async () => {
    const expected = [...(await fresh()).files];
    await load();
    const [name] = readdirSync(folder);
    const file = join(folder, name!);
    const whole = readFileSync(file);
    const damaged = Buffer.from(whole);
    damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 0x10;
    const bad = [() => truncateSync(file, whole.length - 8), () => truncateSync(file, 10), () => writeFileSync(file, damaged), () => writeFileSync(file, 'not a snapshot\n')];
    for (const spoil of bad) {
      spoil();
      const before = queries();
      expect([...(await load()).files]).toEqual(expected);
      expect(queries()).toBe(before + 1);
      expect(readFileSync(file).equals(whole)).toBe(true);
    }
  });

  it('is not kept when the database changed during the query, nor when it changed too recently to vouch for it', async () => {
    const snapshots = new RpmSnapshots(folder, 0);
    const kept = await fresh();
    const keep = snapshots.before(sys.root, sys.dbpath, rpm);
    await sys.rpm(['-i', '--nodeps', '--noscripts', spareRpm('gamma')]);
    try {
      expect(keep({ packageCount: kept.packageCount, files: kept.files as never })).toBeUndefined();
      const settled = new RpmSnapshots(folder, 60_000).before(sys.root, sys.dbpath, rpm);
      expect(settled({ packageCount: kept.packageCount, files: kept.files as never })).toBeUndefined();
    } finally {
      await sys.rpm(['-e', '--nodeps', 'gamma']);
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  it('is none for a root that is not there (read while the identity is taken, which is none then)', async () => {
    expect(await new RpmSnapshots(folder, 0).read(join(work, 'no-such-root'), sys.dbpath, rpm)).toBeUndefined();
  });

  it('is kept for one rpm program: another one queries', async () => {
    await load();
    expect(await new RpmSnapshots(folder, 0).read(sys.root, sys.dbpath, 'rpm')).toBeUndefined();
    expect((await new RpmSnapshots(folder, 0).read(sys.root, sys.dbpath, rpm))?.packageCount).toBe(2);
  });

  it('is kept and used by the program without --no-cache; with it, neither read nor written', async () => {
    await sleep(SETTLE_MS + 100); // the program keeps no snapshot of a database written within its margin
    const home = join(folder, 'home');
    const cli = async (...args: string[]) => {
      const env = childEnv({ XDG_CACHE_HOME: home, PATH: `${work}:${process.env.PATH}` });
      return (await promisify(execFile)(process.execPath, [bins.whatToBackup, '--root', sys.root, '--package-db', 'rpm', '-0', ...args], { env, encoding: 'buffer' })).stdout;
    };
    const first = await cli('--quick');
    expect(queries()).toBe(1);
    const [name] = readdirSync(join(home, 'what-to-backup'));
    expect(name).toMatch(/^rpm-.*\.snapshot$/);
    const identity = () => {
      const s = statSync(join(home, 'what-to-backup', name!), { bigint: true });
      return [s.ino, s.size, s.mtimeNs, s.ctimeNs];
    };
    const kept = identity();
    expect(await cli('--quick', '--no-cache')).toEqual(first);
    expect(queries()).toBe(2);
    expect(identity()).toEqual(kept);
    expect(await cli('--quick')).toEqual(first);
    expect(queries()).toBe(2);
    await cli(); // a cached run too
    expect(queries()).toBe(2);
  });

  it('tells a change to the data by the stat of every database file and by the log\'s content, not by sqlite\'s -shm; and a change to rpm\'s configuration', async () => {
    // A copy of a database folder, with a log that holds data: the identity alone decides, whatever the files hold.
    const root = mkdtempSync(join(work, 'root-'));
    const dir = join(root, 'var/lib/rpm');
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of [['rpmdb.sqlite', 'db'], ['rpmdb.sqlite-wal', 'log frames'], ['rpmdb.sqlite-shm', 'index'], ['.rpm.lock', '']] as const) {
      writeFileSync(join(dir, name), content);
      utimesSync(join(dir, name), 1_000_000, 1_000_000);
    }
    const snapshots = new RpmSnapshots(folder, 0);
    const kept = await fresh();
    const keep = () => snapshots.before(root, '/var/lib/rpm', rpm)({ packageCount: kept.packageCount, files: kept.files as never })!();
    const read = () => snapshots.read(root, '/var/lib/rpm', rpm);
    /** Rewrites a file with as many bytes, and puts its mtime back: only its ctime (or content) tells. */
    const rewrite = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      utimesSync(join(dir, name), 1_000_000, 1_000_000);
    };
    keep();
    expect((await read())?.files.length).toBe(kept.files.length);
    rewrite('rpmdb.sqlite-shm', 'INDEX'); // what every read does
    expect(await read()).toBeDefined();
    rewrite('rpmdb.sqlite-wal', 'LOG FRAMES');
    expect(await read()).toBeUndefined();
    rewrite('rpmdb.sqlite-wal', 'log frames'); // the same data again: the same answer
    expect(await read()).toBeDefined();
    rewrite('rpmdb.sqlite', 'DB');
    expect(await read()).toBeUndefined();
    keep();
    expect(await read()).toBeDefined();
    writeFileSync(join(dir, 'rpmdb.sqlite-journal'), ''); // a new file
    expect(await read()).toBeUndefined();
    const home = process.env.HOME;
    process.env.HOME = root; // rpm's configuration: a macro could choose another backend for the same folder
    try {
      keep();
      expect(await read()).toBeDefined();
      writeFileSync(join(root, '.rpmmacros'), '%_db_backend ndb\n');
      expect(await read()).toBeUndefined();
    } finally {
      process.env.HOME = home;
    }
  });
});
