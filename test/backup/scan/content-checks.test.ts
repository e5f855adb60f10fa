/**
 * The walk's content checks (`DigestPort.check`, for a file whose every other test passed) give
 * the scan exactly what reading its digest and the full check give: same entries, same order,
 * same counts, whichever way each file goes.
 */
import { describe, expect, it } from 'vitest';
import type { Volume } from 'memfs';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { scan, type ScanReport } from '#backup/scan/scan.js';
import type { FakeRpmDatabase } from '#sim/backup/fake-rpm-database.js';
import { MemfsFileSystem, type MemfsOptions } from '#sim/backup/memfs-file-system.js';
import { accounts } from './owned-file.js';
import { simSystem } from './sim-scan.js';
import { checkingDigester, streamDigester } from './stream-digester.js';

/** The scan with digests read (`digest`) and with content checks, and how many checks there were. */
async function bothWays(vol: Volume, db: FakeRpmDatabase, options: MemfsOptions = {}) {
  const run = async (checking: boolean) => {
    const fs = new MemfsFileSystem(vol, options);
    const digester = checking ? checkingDigester(fs) : streamDigester(fs);
    const entries: ScannedEntry[] = [];
    const report: ScanReport = await scan({ fs, digester, accounts, database: await db.load(), onEntry: (e) => entries.push(e) });
    return { entries, report, checks: 'checks' in digester ? digester.checks : 0 };
  };
  const read = await run(false);
  const checked = await run(true);
  expect(checked.entries).toEqual(read.entries);
  expect(checked.report).toEqual(read.report);
  return { ...checked, classes: Object.fromEntries(checked.entries.map((e) => [e.path, e.reason ? `${e.class} ${e.reason}` : e.class])) };
}

const files = (n: number, dir = '/usr/share/many') => Array.from({ length: n }, (_, i) => ({ path: `${dir}/f${i}`, content: `file ${i}\n`.repeat(i % 7) }));

describe('content checks in the walk', () => {
  it('agree with reading the digest on unchanged, changed, touched, %config and %ghost files, across many batches', async () => {
    const tool = {
      name: 'tool',
      paths: [
        { path: '/usr/bin/tool', content: 'binary', mode: 0o755 },
        { path: '/usr/share/tool/a', content: 'aaaa' },
        { path: '/usr/share/tool/b', content: 'bbbb' },
        { path: '/usr/share/tool/c', content: 'cccc' },
        { path: '/etc/tool.conf', content: 'x=1\n', config: true },
        { path: '/var/log/tool.log', content: '', ghost: true },
        ...files(400),
      ],
    };
    const { vol, db } = simSystem([tool]);
    vol.writeFileSync('/usr/share/tool/a', 'AAAA'); // same size, other content
    vol.writeFileSync('/usr/share/tool/b', 'bbbbb');
    vol.utimesSync('/usr/share/tool/c', 1, 1); // touched only
    vol.writeFileSync('/etc/tool.conf', 'x=2\n');
    vol.writeFileSync('/usr/share/many/f10', 'file 99\n'.repeat(3));
    const { classes, checks, report } = await bothWays(vol, db);
    expect(checks).toBeGreaterThan(300);
    expect(report.hashed).toBe(checks);
    expect(classes).toMatchObject({
      '/usr/bin/tool': 'unmodified',
      '/usr/share/tool/a': expect.stringMatching(/^modified \.\.5\.\.\.\.[.T]\.$/),
      '/usr/share/tool/c': 'unmodified',
      '/etc/tool.conf': expect.stringMatching(/^modified \.\.5\.\.\.\.[.T]\. c$/),
      '/usr/share/many/f10': expect.stringMatching(/^modified \.\.5\.\.\.\.[.T]\.$/),
      '/usr/share/many/f11': 'unmodified',
    });
  });

  it('agree on files that cannot be read, and leave hard links and paths of several packages to the full check', async () => {
    const one = { name: 'one', paths: [...files(20, '/usr/lib/one'), { path: '/usr/share/shared', content: 'same' }] };
    const two = { name: 'two', paths: [{ path: '/usr/share/shared', content: 'same' }, { path: '/usr/lib/two/link', content: 'linked' }, { path: '/usr/lib/two/other', content: 'linked' }] };
    const { vol, db } = simSystem([one, two]);
    vol.unlinkSync('/usr/lib/two/other');
    vol.linkSync('/usr/lib/two/link', '/usr/lib/two/other'); // one inode, two owned paths
    const faults = [{ op: 'read' as const, path: '/usr/lib/one/f3', code: 'EIO' }, { op: 'read' as const, path: '/usr/lib/one/f5', code: 'EACCES' }];
    const { classes, checks } = await bothWays(vol, db, { faults });
    expect(checks).toBe(20); // one's 20 files; not the path both own, nor the two hard links
    expect(classes).toMatchObject({
      '/usr/lib/one/f3': 'unreadable ..?...... (EIO)',
      '/usr/lib/one/f5': 'unreadable ..?...... (EACCES)',
      '/usr/lib/one/f4': 'unmodified',
      '/usr/share/shared': 'unmodified',
      '/usr/lib/two/link': 'unmodified',
      '/usr/lib/two/other': 'unmodified',
    });
  });

  it('keeps several batches hashing while the walk goes on: 512 checks asked before it first waits for one', async () => {
    // The native digester sends batches of 128, two or more at a time: a walk that waited once a
    // single batch was out left every core but one idle while that batch was read.
    const many = { name: 'many', paths: files(1500) };
    const { vol, db } = simSystem([many]);
    const fs = new MemfsFileSystem(vol);
    const checking = checkingDigester(fs);
    const askedAtWait: number[] = [];
    const digester = { ...checking, check: checking.check, flush: () => void askedAtWait.push(checking.checks) };
    await scan({ fs, digester, accounts, database: await db.load(), onEntry: () => undefined });
    expect(checking.checks).toBeGreaterThanOrEqual(1500);
    expect(askedAtWait[0]).toBeGreaterThanOrEqual(512);
  });
});
