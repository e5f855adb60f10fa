import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childPath } from '#backup/domain/paths/byte-path.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { percentOf } from '#backup/report/size-format.js';
import { forEachNode } from '#backup/domain/summary/summary-node.js';
import { TotalsBuilder } from '#backup/domain/summary/totals.js';
import {
  batchFlatList,
  depthFirstEntries,
  expandFlatList,
  parallelWalkEvents,
  treeArbitrary,
  type TreeSpec,
} from '#sim/backup/backup-trees.js';
import { flatList } from '#backup/report/list/flat-list.js';
import { treeReport } from '#backup/report/tree/tree-report.js';
import { summaryJson } from '#backup/report/json/json-report.js';
import { InspectableSummary } from '#test/backup/domain/support/inspectable-summary.js';

const isSave = (e: { class: string }) => e.class === 'new' || e.class === 'modified';

function summarise(entries: readonly ScannedEntry[]) {
  const summary = new InspectableSummary();
  for (const e of entries) summary.add(e);
  return summary.close();
}

/** Every entry path of the tree below `path` (excluded), with the entry. */
function below(entries: readonly ScannedEntry[], path: string): ScannedEntry[] {
  return entries.filter((e) => e.path !== path && (path === '/' ? true : e.path.startsWith(`${path}/`)));
}

const trees = treeArbitrary();
const seeds = fc.integer();

describe('summary properties', () => {
  it('expanding the flat list gives exactly the save files: nothing missed, nothing extra', () => {
    fc.assert(
      fc.property(trees, seeds, (tree, seed) => {
        const entries = depthFirstEntries(tree, seed);
        const list = flatList(summarise(entries).root);
        const covered = expandFlatList(list, entries.map((e) => e.path));
        const saveFiles = entries.filter((e) => e.kind !== 'directory' && isSave(e)).map((e) => e.path);
        const coveredFiles = entries.filter((e) => e.kind !== 'directory' && covered.has(e.path)).map((e) => e.path);
        expect(coveredFiles.sort()).toEqual(saveFiles.sort());
        for (const e of entries) {
          // Save directories are covered (the root's own metadata aside); a covered directory is
          // save, or an unmodified one whose contents are all saved.
          if (e.kind === 'directory' && isSave(e) && e.path !== '/') expect(covered.has(e.path)).toBe(true);
          if (e.kind === 'directory' && covered.has(e.path) && !isSave(e)) {
            expect(e.class).toBe('unmodified');
            expect(below(entries, e.path).every((x) => isSave(x) || (x.kind === 'directory' && x.class === 'unmodified'))).toBe(true);
          }
        }
      }),
    );
  });

  it('lists no path twice, nothing inside a listed folder, and a folder iff every file below it is save and nothing below blocks', () => {
    fc.assert(
      fc.property(trees, seeds, (tree, seed) => {
        const entries = depthFirstEntries(tree, seed);
        const list = flatList(summarise(entries).root);
        expect(new Set(list).size).toBe(list.length);
        const folders = list.filter((p) => p.endsWith('/'));
        for (const path of list) {
          for (const folder of folders) if (path !== folder) expect(folder === '/' || path.startsWith(folder)).toBe(false);
        }
        const listedFolders = new Set(folders.map((f) => (f === '/' ? '/' : f.slice(0, -1))));
        for (const e of entries.filter((x) => x.kind === 'directory')) {
          const inside = below(entries, e.path);
          // Intact directories hold no data: only unmodified files and reported entries block a fold.
          const blocks = inside.some((x) => !isSave(x) && !(x.kind === 'directory' && x.class === 'unmodified'));
          const wholeSave = (isSave(e) || e.class === 'unmodified') && !blocks && (isSave(e) || inside.some(isSave));
          const insideListedFolder = [...listedFolders].some((f) => f !== e.path && (f === '/' || e.path.startsWith(`${f}/`)));
          if (!insideListedFolder) expect(listedFolders.has(e.path)).toBe(wholeSave);
        }
      }),
    );
  });

  it('gives the same answer as a batch computation over the whole tree', () => {
    fc.assert(
      fc.property(trees, seeds, (tree, seed) => {
        expect(flatList(summarise(depthFirstEntries(tree, seed)).root)).toEqual(batchFlatList(tree));
      }),
    );
  });

  it('does not depend on the order in which siblings are visited', () => {
    fc.assert(
      fc.property(trees, seeds, seeds, (tree, a, b) => {
        const first = summarise(depthFirstEntries(tree, a));
        const second = summarise(depthFirstEntries(tree, b));
        expect(summaryJson(second)).toEqual(summaryJson(first));
        expect(treeReport(second)).toBe(treeReport(first));
      }),
    );
  });

  it('gives the same result for any valid post-order of a parallel walker', () => {
    fc.assert(
      fc.property(trees, seeds, (tree, seed) => {
        const completed: string[] = [];
        const summary = new InspectableSummary({ completion: 'explicit', onDirectoryComplete: (path) => completed.push(path) });
        const added: string[] = [];
        for (const event of parallelWalkEvents(tree, seed)) {
          if (event.type === 'entry') {
            summary.add(event.entry);
            added.push(event.entry.path);
          } else summary.directoryComplete(event.path);
        }
        const result = summary.close();
        expect(summaryJson(result)).toEqual(summaryJson(summarise(depthFirstEntries(tree))));
        // Every directory exactly once, and after all directories below it.
        const dirs = depthFirstEntries(tree).filter((e) => e.kind === 'directory').map((e) => e.path);
        expect([...completed].sort()).toEqual([...dirs].sort());
        for (const path of completed) {
          for (const other of completed) {
            if (other !== path && (path === '/' || other.startsWith(`${path}/`))) {
              expect(completed.indexOf(other)).toBeLessThan(completed.indexOf(path));
            }
          }
        }
      }),
    );
  });

  it('finalises every directory once, after everything below it was added, in any depth-first walk', () => {
    fc.assert(
      fc.property(trees, seeds, (tree, seed) => {
        const entries = depthFirstEntries(tree, seed);
        const addedSoFar = new Set<string>();
        const completed: string[] = [];
        const summary = new InspectableSummary({
          onDirectoryComplete: (path) => {
            completed.push(path);
            for (const e of below(entries, path)) expect(addedSoFar.has(e.path)).toBe(true);
            for (const done of completed.slice(0, -1)) expect(done).not.toBe(path);
          },
        });
        for (const e of entries) {
          summary.add(e);
          addedSoFar.add(e.path);
        }
        summary.close();
        expect(completed.length).toBe(entries.filter((e) => e.kind === 'directory').length);
      }),
    );
  });

  it('totals: the root saves the sum of save file sizes, and every node sums its children', () => {
    fc.assert(
      fc.property(treeArbitrary({ hardLinks: true }), seeds, (tree, seed) => {
        const entries = depthFirstEntries(tree, seed);
        const result = summarise(entries);
        // Hard links count once, charged to the first name reached in the walk.
        const seen = new Set<bigint>();
        let expected = 0n;
        for (const e of entries) {
          if (e.kind === 'directory') continue;
          if (e.identity !== undefined) {
            if (seen.has(e.identity.ino)) continue;
            seen.add(e.identity.ino);
          }
          if (isSave(e)) expected += e.size;
        }
        expect(result.totals.saveSize).toBe(expected);
        expect(result.totals.counts).toEqual(countsOf(entries));
        forEachNode(result.root!, (node) => {
          const whole = node.totals.saveSize + node.totals.unmodifiedSize;
          const percent = percentOf(node.totals.saveSize, whole);
          expect(percent >= 0 && percent <= 100).toBe(true);
          if (node.shape !== 'mixed') return;
          const sum = new TotalsBuilder();
          for (const child of node.children) sum.add(child.totals);
          if (node.class !== undefined) sum.addEntry(node.class, 'directory', 0n);
          const expectedTotals = sum.freeze();
          expect(node.totals.saveSize).toBe(expectedTotals.saveSize);
          expect(node.totals.unmodifiedSize).toBe(expectedTotals.unmodifiedSize + node.unmodified.size);
          expect(node.totals.counts.unmodified).toBe(expectedTotals.counts.unmodified + node.unmodified.sample.total);
        });
      }),
    );
  });
});

function countsOf(entries: readonly ScannedEntry[]) {
  const counts = { new: 0, modified: 0, unmodified: 0, excluded: 0, unreadable: 0, 'not-scanned': 0 };
  for (const e of entries) counts[e.class] += 1;
  return counts;
}

describe('a summary of a scan root below /', () => {
  it('lists the same paths as the batch answer', () => {
    fc.assert(
      fc.property(trees, (tree: TreeSpec) => {
        const entries = depthFirstEntries(tree, undefined, '/scan/root');
        expect(flatList(summarise(entries).root)).toEqual(batchFlatList(tree, '/scan/root'));
        expect(childPath('/scan', 'root')).toBe('/scan/root');
      }),
    );
  });
});
