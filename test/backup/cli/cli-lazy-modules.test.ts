/**
 * A run without a package database loads none of the code a database brings (the owned-file
 * table, the verify steps, the hashing), and a run with one loads none of the other's: loading
 * modules is a visible share of such a run (issue #15: the walk against `find`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';
import { buildRpmRoot } from '#test/support/rpm-root.js';
import { SETTLE_MS } from '#backup/adapters/rpm-snapshot/rpm-snapshot.js';

const run = promisify(execFile);
const top = mkdtempSync(join(tmpdir(), 'cave-lazy-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

// Preloaded into the program (dist/ is CommonJS, build-dist.mjs): as it exits, notes every module
// it required, in the order they were loaded, and the node: modules it asked for.
const hook = `
  const { writeFileSync } = require('node:fs');
  const Module = require('node:module');
  const builtins = new Set();
  const load = Module._load;
  Module._load = function (request) {
    if (request.startsWith('node:')) builtins.add(request);
    return load.apply(this, arguments);
  };
  process.on('exit', () => writeFileSync(process.env.CAVE_MODULE_LOG, [...Object.keys(require.cache), ...builtins].join('\\n') + '\\n'));`;

let runs = 0;

/** The program's own modules a run with `args` loads, as paths below dist/; `refused`: the run ends with status 2. */
async function modulesLoaded(args: string[], refused = false, root = join(top, 'sys')): Promise<string[]> {
  const log = join(top, `modules-${++runs}.log`);
  const hookFile = join(top, 'hook.cjs');
  writeFileSync(hookFile, hook);
  const env = childEnv({ XDG_CACHE_HOME: join(top, 'cache'), CAVE_MODULE_LOG: log });
  const running = run(process.execPath, ['--require', hookFile, bins.whatToBackup, '--root', root, ...args], { env });
  await (refused ? expect(running).rejects.toMatchObject({ code: 2 }) : running);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((path) => path.includes('/dist/') || path.startsWith('node:'))
    .map((path) => (path.startsWith('node:') ? path : path.slice(path.lastIndexOf('/dist/') + 6)));
}

describe('what-to-backup --package-db none', () => {
  it('loads no module of the package database, the verify steps or the hashing', async () => {
    mkdirSync(join(top, 'sys/etc'), { recursive: true });
    writeFileSync(join(top, 'sys/etc/hosts'), 'x');
    const loaded = await modulesLoaded(['--package-db', 'none']);
    expect(loaded).toContain('backup/scan/walk.js'); // the log works
    const databaseModules = loaded.filter((m) => /^backup\/(domain\/owned-files|domain\/verify|adapters\/digest-workers|adapters\/digest-cache)\/|^backup\/scan\/own/.test(m));
    expect(databaseModules).toEqual([]);
  }, 30_000);
});

describe('what-to-backup with one package database', () => {
  it('an rpm scan loads no dpkg module, and a dpkg scan no rpm module', async () => {
    mkdirSync(join(top, 'sys/var/lib/dpkg/info'), { recursive: true });
    writeFileSync(join(top, 'sys/var/lib/dpkg/status'), '');
    // No package in either database: each run stops there (status 2), with its adapter loaded.
    const dpkg = await modulesLoaded(['--package-db', 'dpkg', '--no-cache'], true);
    expect(dpkg).toContain('backup/adapters/dpkg/dpkg-database.js'); // the log works
    expect(dpkg.filter((m) => /rpm-database|rpm-snapshot|\/domain\/rpm\//.test(m))).toEqual([]); // where rpm keeps a database is known without them
    const rpm = await modulesLoaded(['--package-db', 'rpm', '--no-cache'], true);
    expect(rpm).toContain('backup/adapters/rpm/rpm-database.js');
    expect(rpm.filter((m) => /dpkg-database|native-dpkg|\/domain\/dpkg\//.test(m))).toEqual([]);
  }, 30_000);
});

describe('what-to-backup on an rpm database unchanged since the last run', () => {
  it("loads none of the code that reads rpm's answer: the snapshot of the last one stands in for it", async () => {
    const sys = await buildRpmRoot([{ name: 'alpha', paths: [{ path: '/usr/lib/alpha/a.txt', content: 'hello\n' }] }]);
    try {
      const args = ['--package-db', 'rpm', '--dbpath', sys.dbpath];
      const reader = (loaded: string[]) => loaded.filter((m) => m.startsWith('backup/domain/rpm/'));
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 100)); // no snapshot is kept of a database written within its margin
      const first = await modulesLoaded(args, false, sys.root);
      expect(reader(first)).toContain('backup/domain/rpm/rpm-query-reader.js'); // the first run asks rpm
      const again = await modulesLoaded(args, false, sys.root);
      expect(again).toContain('backup/adapters/rpm-snapshot/rpm-snapshot.js'); // the log works
      expect(reader(again)).toEqual(['backup/domain/rpm/rpm-query-format.js', 'backup/domain/rpm/rpm-query-error.js']);
      // Through the addon, the caches are mapped and their names hashed without node:crypto or node:fs/promises (6-15 ms of a start).
      expect(again.filter((m) => m === 'node:crypto' || m === 'node:fs/promises')).toEqual([]);
      expect(first).toContain('node:crypto'); // the log notes them: the query's seal is random
    } finally {
      await sys.remove();
    }
  }, 120_000);
});
