import { describe, expect, it } from 'vitest';
import { flatList } from '#backup/report/list/flat-list.js';
import { InspectableSummary } from '#test/backup/domain/support/inspectable-summary.js';

describe('memory follows the collapsed tree, not the number of files', () => {
  it('keeps a small number of nodes while summarising a million new files in all-save folders', () => {
    const fanOut = 100; // 100 folders × 100 folders × 100 files = 1,000,000 files
    let peak = 0;
    let completed = 0;
    const summary = new InspectableSummary({
      onDirectoryComplete: () => {
        completed += 1;
        // Sampled at each completion, when the just-finalised folder has been folded into its parent.
        peak = Math.max(peak, summary.retainedNodeCount());
      },
    });
    summary.add({ path: '/', kind: 'directory', class: 'unmodified', size: 4096n });
    summary.add({ path: '/boot', kind: 'file', class: 'unmodified', size: 4096n });
    summary.add({ path: '/data', kind: 'directory', class: 'new', size: 4096n });
    let files = 0;
    for (let a = 0; a < fanOut; a += 1) {
      summary.add({ path: `/data/a${a}`, kind: 'directory', class: 'new', size: 4096n });
      for (let b = 0; b < fanOut; b += 1) {
        const dir = `/data/a${a}/b${b}`;
        summary.add({ path: dir, kind: 'directory', class: 'new', size: 4096n });
        for (let f = 0; f < fanOut; f += 1) {
          summary.add({ path: `${dir}/f${f}`, kind: 'file', class: 'new', size: 1000n, identity: { dev: 1n, ino: BigInt(files) }, links: 1 });
          files += 1;
        }
        peak = Math.max(peak, summary.retainedNodeCount()); // the fullest moment: a folder of files still open
      }
    }
    const result = summary.close();
    expect(files).toBe(1_000_000);
    expect(completed).toBe(1 + 1 + fanOut + fanOut * fanOut);
    // Open: root, /data, one /data/aN, one .../bM (100 files), plus at most 100 folded siblings at each level.
    expect(peak).toBeLessThanOrEqual(4 + 3 * fanOut); // 302 here, against a million files
    expect(summary.retainedNodeCount()).toBe(0);
    expect(flatList(result.root)).toEqual(['/data/']);
    expect(result.totals.saveSize).toBe(1_000_000_000n);
    expect(result.totals.counts.new).toBe(1_000_000 + 1 + fanOut + fanOut * fanOut);
  });
});
