import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorEntries } from '#backup/report/html/error-entries.js';
import { largestSaveSubtrees } from '#backup/report/html/largest-subtrees.js';
import type { SpaceNode } from '#backup/report/html/space-tree.js';
import { sampleOutline, treeOf } from '#test/backup/html/support/sample-tree.js';

const sample = treeOf(sampleOutline);

function allBelowRoot(tree: SpaceNode): SpaceNode[] {
  const found: SpaceNode[] = [];
  const walk = (node: SpaceNode) => node.children?.forEach((c) => (found.push(c), walk(c)));
  walk(tree);
  return found;
}

describe('largest save subtrees', () => {
  it('ranks every node below the root by save size, largest first, leaving out what saves nothing', () => {
    const ranked = largestSaveSubtrees(sample, 4).map((r) => [r.node.path, r.saveSize]);
    expect(ranked).toEqual([
      ['/home', 12_050_120_000n],
      ['/home/ana', 8_500_120_000n],
      ['/home/ana/photos', 4_200_000_000n],
      ['/home/bo', 3_550_000_000n],
    ]);
    expect(largestSaveSubtrees(sample, 1000).every((r) => r.saveSize > 0n)).toBe(true);
    expect(largestSaveSubtrees(sample, 0)).toEqual([]);
  });

  it('keeps the same sizes a full sort would', () => {
    const leaf = fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), fc.nat(1000));
    fc.assert(
      fc.property(fc.array(fc.array(leaf, { maxLength: 5 }), { maxLength: 8 }), fc.integer({ min: 1, max: 10 }), (folders, limit) => {
        const tree = treeOf(['/', folders.map((leaves, i) => [`d${i}`, leaves.map(([n, s], j) => [`${n}${j}`, 'new', s] as const)] as const)]);
        const expected = allBelowRoot(tree)
          .map((n) => BigInt(n.saveSize))
          .filter((s) => s > 0n)
          .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
          .slice(0, limit);
        expect(largestSaveSubtrees(tree, limit).map((r) => r.saveSize)).toEqual(expected);
      }),
    );
  });
});

describe('entries with errors', () => {
  const tree: SpaceNode = {
    ...treeOf(['/', [['a', 'unreadable', 0], ['b', [['c', 'not-scanned', 0], ['d', 'excluded', 0]]]]]),
    errors: [
      { path: '/x', class: 'unreadable', reason: 'EACCES' },
      { path: '/y', class: 'excluded' },
    ],
  };

  it('lists unreadable and not-scanned entries, from the tree and from error lists, not exclusions', () => {
    expect(errorEntries(tree, 10)).toEqual({
      shown: [
        { path: '/x', class: 'unreadable', reason: 'EACCES' },
        { path: '/a', class: 'unreadable' },
        { path: '/b/c', class: 'not-scanned' },
      ],
      total: 3,
    });
  });

  it('shows at most the limit but counts them all', () => {
    expect(errorEntries(tree, 1)).toEqual({ shown: [{ path: '/x', class: 'unreadable', reason: 'EACCES' }], total: 3 });
  });
});
