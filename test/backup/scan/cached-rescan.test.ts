/**
 * A scan through the digest cache gives exactly the scan without it: on the first run (the cache
 * empty, every content check asked of the inner digester and kept), on a rescan (every check
 * answered from the cache, nothing read) and after files changed since the cache was written,
 * whichever of the key's fields tells (a file rewritten with its mtime put back: its ctime; one
 * replaced by another inode of the same size and times; one of another size).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Volume } from 'memfs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachingDigester } from '#backup/adapters/digest-cache/digest-cache.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import type { DigestPort } from '#backup/domain/ports/digest.port.js';
import { scan } from '#backup/scan/scan.js';
import type { FakeRpmDatabase } from '#sim/backup/fake-rpm-database.js';
import { MemfsFileSystem } from '#sim/backup/memfs-file-system.js';
import { accounts } from './owned-file.js';
import { simSystem } from './sim-scan.js';
import { checkingDigester } from './stream-digester.js';

const owner = { machine: 'm1', root: '/' };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cave-cached-rescan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An inner digester (content checks, as the addon) that notes every path whose content it is asked for. */
function noting(fs: MemfsFileSystem) {
  const inner = checkingDigester(fs);
  const read: string[] = [];
  const digester: DigestPort = {
    digest: (path, algo, stat) => (read.push(path), inner.digest(path, algo, stat)),
    check: (path, ...rest) => (read.push(path), inner.check!(path, ...rest)),
  };
  return { digester, read };
}

/** One scan of `vol`, through the cache file `cache` (saved after it) when given; the paths whose content was read, in order. */
async function scanOnce(vol: Volume, db: FakeRpmDatabase, cache?: string) {
  const fs = new MemfsFileSystem(vol);
  const { digester: inner, read } = noting(fs);
  // Every digest kept, however recent (memfs's files are dated when the test made them): the
  // changes this test makes are all a few milliseconds apart, past memfs's clock tick.
  const caching = cache === undefined ? undefined : new CachingDigester(inner, cache, owner, -Infinity);
  const entries: ScannedEntry[] = [];
  const report = await scan({ fs, digester: caching ?? inner, accounts, database: await db.load(), onEntry: (e) => entries.push(e) });
  caching?.save();
  return { entries, report, read, hits: caching?.hits ?? 0 };
}

const classes = (entries: ScannedEntry[]) => Object.fromEntries(entries.map((e) => [e.path, e.reason ? `${e.class} ${e.reason}` : e.class]));
/** Past the file system's clock tick (memfs keeps milliseconds): a change after it moves the ctime. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function system() {
  const files = Array.from({ length: 300 }, (_, i) => ({ path: `/usr/share/many/f${i}`, content: `file ${i}\n`.repeat(1 + (i % 5)) }));
  const { vol, db } = simSystem([{ name: 'tool', paths: [{ path: '/usr/bin/tool', content: 'binary', mode: 0o755 }, { path: '/etc/tool.conf', content: 'x=1\n', config: true }, ...files] }]);
  vol.writeFileSync('/usr/share/many/f7', 'FILE 7\n'.repeat(3)); // changed before the first scan, same size
  vol.writeFileSync('/etc/tool.conf', 'x=2\n');
  return { vol, db };
}

describe('a scan through the digest cache', () => {
  it('gives the same entries as one without it, first run and rescan, the rescan reading nothing', async () => {
    const { vol, db } = system();
    const file = join(dir, 'cache.bin');
    const plain = await scanOnce(vol, db);
    const first = await scanOnce(vol, db, file);
    expect(first.entries).toEqual(plain.entries);
    expect(first.read).toEqual(plain.read);
    expect(first.read.length).toBeGreaterThan(300);
    const rescan = await scanOnce(vol, db, file);
    expect(rescan.entries).toEqual(plain.entries);
    expect(rescan.report).toEqual(plain.report.hashed === 0 ? plain.report : { ...plain.report, hashed: 0 });
    expect(rescan.read).toEqual([]);
    expect(rescan.hits).toBe(first.read.length); // every digest the first run kept, the changed ones too
    expect(classes(rescan.entries)).toMatchObject({
      '/usr/share/many/f7': expect.stringMatching(/^modified \.\.5/),
      '/etc/tool.conf': expect.stringMatching(/^modified \.\.5.* c$/),
      '/usr/share/many/f8': 'unmodified',
    });
  });

  it('reads again every file changed since the cache was written, and reports what a scan without it reports', async () => {
    const { vol, db } = system();
    const file = join(dir, 'cache.bin');
    await scanOnce(vol, db, file);
    await tick();
    const rewrite = (path: string, content: string) => {
      const before = vol.statSync(path);
      vol.writeFileSync(path, content);
      vol.utimesSync(path, before.atime, before.mtime); // same size and mtime: only the ctime tells
    };
    rewrite('/usr/share/many/f1', 'FILE 1\n'.repeat(2));
    rewrite('/usr/share/many/f2', 'file 2\n'.repeat(3)); // rewritten with the same bytes: unmodified, but read again
    const replaced = vol.statSync('/usr/share/many/f3');
    vol.writeFileSync('/usr/share/many/f3.new', 'FILE 3\n'.repeat(4));
    vol.chmodSync('/usr/share/many/f3.new', replaced.mode & 0o7777);
    vol.utimesSync('/usr/share/many/f3.new', replaced.atime, replaced.mtime);
    vol.renameSync('/usr/share/many/f3.new', '/usr/share/many/f3'); // another inode, same size and times
    vol.writeFileSync('/usr/share/many/f4', 'file 4\n'.repeat(6)); // another size
    vol.writeFileSync('/usr/share/many/f7', 'file 7\n'.repeat(3)); // changed back to what the package holds
    const rescan = await scanOnce(vol, db, file);
    const plain = await scanOnce(vol, db);
    expect(rescan.entries).toEqual(plain.entries);
    expect(rescan.read.sort()).toEqual(['f1', 'f2', 'f3', 'f7'].map((f) => `/usr/share/many/${f}`)); // f4's size alone decides
    expect(classes(rescan.entries)).toMatchObject({
      '/usr/share/many/f1': expect.stringMatching(/^modified \.\.5/),
      '/usr/share/many/f2': 'unmodified',
      '/usr/share/many/f3': expect.stringMatching(/^modified \.\.5/),
      '/usr/share/many/f4': expect.stringMatching(/^modified S\.5/),
      '/usr/share/many/f7': 'unmodified',
    });
    // What the rescan read is kept in turn: a third scan reads nothing.
    expect((await scanOnce(vol, db, file)).read).toEqual([]);
  });
});
