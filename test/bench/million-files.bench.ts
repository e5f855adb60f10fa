import { describe, expect, it } from 'vitest';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { flatList } from '#backup/report/list/flat-list.js';
import { scan } from '#backup/scan/scan.js';
import { verdict } from './measure.js';
import { VirtualFileSystem } from './virtual-file-system.js';

// The scanner's times against find, rpm and the per-file way live in scale.bench.ts, on a
// 100,000-file real rpm root; this one is the memory of the scan itself on a million files.
describe('what-to-backup on a million-file virtual tree', () => {
  it('keeps memory small when its folders are all new', async () => {
    const fs = new VirtualFileSystem(1000, 1000);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const summary = new BackupSummary();
    const start = performance.now();
    const result = await scan({
      fs,
      digester: { digest: async () => ({ ok: false, code: 'EINVAL' }) },
      accounts: { userName: () => 'root', groupName: () => 'root', uidOf: () => 0n, gidOf: () => 0n },
      onEntry: (e) => summary.add(e),
      onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
    });
    const listed = flatList(summary.close().root);
    const seconds = (performance.now() - start) / 1000;
    console.log(
      [
        `million-file virtual tree: ${result.entries} entries in ${seconds.toFixed(1)} s, list: ${listed.join(' ')}`,
        verdict('peak RSS (issue #6)', peak / 2 ** 20, 150, `(${((peak - before) / 2 ** 20).toFixed(0)} MB above the start)`, ' MB'),
      ].join('\n'),
    );
    expect(listed).toEqual(['/']);
  }, 600_000);
});
