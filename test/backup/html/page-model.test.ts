import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPageModel, defaultPageLimits, type PageNode } from '#backup/report/html/page-model.js';
import type { SpaceNode } from '#backup/report/html/space-tree.js';
import { sampleOutline, treeOf, type Outline } from '#test/backup/html/support/sample-tree.js';

const limits = (change: Partial<typeof defaultPageLimits>) => ({ ...defaultPageLimits, ...change });

function pageNodes(root: PageNode): PageNode[] {
  const all: PageNode[] = [];
  const walk = (node: PageNode) => (all.push(node), node.ch?.forEach(walk));
  walk(root);
  return all;
}

const find = (node: PageNode, name: string) => node.ch!.find((c) => c.n === name)!;

describe('the tree the page draws', () => {
  it('gives every entry of a small tree its own tile, with sizes, class, counts and note', () => {
    const tree = treeOf(sampleOutline);
    const { root, nodeCount, idOf } = buildPageModel(tree);
    expect(root).toMatchObject({ id: 0, n: '/', s: 15_480_962_000, S: '14G', c: 'mixed' });
    const cache = find(find(find(root, 'home'), 'ana'), '.cache');
    expect(cache).toMatchObject({ n: '.cache', s: 900_000_000, S: '858M', u: 0, U: '0 bytes', c: 'rule', t: 'cache: safe to skip', k: '1 new' });
    // An unreadable entry has no size to draw: it is counted in a small tile (and listed in a table).
    expect(find(find(root, 'var'), '1 small file')).toMatchObject({ s: 0, c: 'small', k: '1 unreadable' });
    const nodes = pageNodes(root);
    expect(nodes).toHaveLength(nodeCount);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodeCount);
    expect(idOf.get(tree)).toBe(0);
  });

  it('shows names as UTF-8 text where they are, and escapes bytes that are not', () => {
    const { root } = buildPageModel(treeOf(['/', [['caf\xc3\xa9', 'new', 5], ['bad\xff\n', 'new', 4]]]));
    expect(root.ch!.map((c) => c.n)).toEqual(['café', 'bad\\xff\\n']);
  });

  it('keeps sizes past 2^53 exact in words', () => {
    const tree: SpaceNode = { name: '/', path: '/', saveSize: String(2n ** 63n - 1n), unmodifiedSize: '9007199254740993', class: 'new' };
    expect(buildPageModel(tree).root).toMatchObject({ S: '8E', U: '8P', s: 2 ** 63 });
  });

  it('draws many tiny entries beside big ones as one "N small files" tile holding their total', () => {
    const tiny: Outline[] = Array.from({ length: 10_000 }, (_, i) => [`t${i}`, 'new', 1] as const);
    const { root } = buildPageModel(treeOf(['/', [['big', 'new', 1e9], ['also-big', 'modified', 5e8], ...tiny]]));
    expect(root.ch!.map((c) => c.n)).toEqual(['big', 'also-big', '10,000 small files']);
    expect(root.ch![2]).toMatchObject({ s: 10_000, S: '10K', c: 'small', m: 10_000, k: '10,000 new' });
  });

  it('draws at most maxChildren tiles in one folder', () => {
    const files: Outline[] = Array.from({ length: 1000 }, (_, i) => [`f${i}`, 'new', 100] as const);
    const { root } = buildPageModel(treeOf(['/', [['d', files]]]), limits({ maxChildren: 400 }));
    const d = root.ch![0]!;
    expect(d.ch).toHaveLength(401);
    expect(d.ch![400]).toMatchObject({ n: '600 small files', s: 60_000, m: 600 });
  });

  it('calls a mix of small folders and files "small entries"', () => {
    const { root } = buildPageModel(treeOf(['/', [['big', 'new', 1e9], ['f', [['x', 'new', 1]]], ['g', 'new', 1]]]));
    expect(root.ch!.at(-1)).toMatchObject({ n: '2 small entries', s: 2, c: 'small' });
  });

  it('counts small entries that carry no counts by their class, a mixed one as new', () => {
    const leaf = (name: string, cls: SpaceNode['class'], size: number): SpaceNode => ({ name, path: `/${name}`, saveSize: size, unmodifiedSize: 0, class: cls });
    const children = [leaf('big', 'new', 1e9), leaf('m', 'modified', 1), leaf('x', 'mixed', 1), leaf('n', 'new', 1)];
    const tree: SpaceNode = { name: '/', path: '/', saveSize: 1e9 + 3, unmodifiedSize: 0, class: 'mixed', children };
    expect(buildPageModel(tree).root.ch!.at(-1)).toMatchObject({ n: '3 small files', s: 3, c: 'small', k: '2 new, 1 modified' });
  });

  it('fills a folder whose total is more than its listed children with an "entries not listed" tile', () => {
    const tree: SpaceNode = { ...treeOf(['/', [['a', 'new', 10, 5]]]), saveSize: 25, unmodifiedSize: 5 };
    expect(buildPageModel(tree).root.ch).toEqual([
      expect.objectContaining({ n: 'a', s: 10 }),
      expect.objectContaining({ n: 'entries not listed', s: 15, u: 0, c: 'small' }),
    ]);
  });

  it('gives tiles to the largest entries across the whole tree, before smaller folders\' contents', () => {
    const folder = (name: string, sizes: number[]): Outline => [name, sizes.map((size, i) => [`${name}${i}`, 'new', size] as const)];
    const { root } = buildPageModel(
      treeOf(['/', [folder('a', [60, 50, 1, 1]), folder('b', [40, 30]), folder('c', [2, 2])]]),
      limits({ maxNodes: 12, minShare: 0 }),
    );
    // Tiles: root, a, b, c, a0, a1, b0, b1; each opened folder keeps room for a small tile.
    expect(find(root, 'a').ch!.map((c) => c.n)).toEqual(['a0', 'a1', '2 small files']);
    expect(find(root, 'b').ch!.map((c) => c.n)).toEqual(['b0', 'b1']);
    expect(find(root, 'c')).toMatchObject({ m: 2 });
  });

  it('stays within its tile budget, and every folder is filled exactly', () => {
    const outline: fc.Arbitrary<Outline> = fc.letrec<{ node: Outline }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.tuple(fc.constantFrom('f'), fc.constantFrom('new' as const, 'modified' as const, 'unmodified' as const), fc.nat(10_000), fc.nat(100)),
        fc.tuple(fc.constantFrom('d'), fc.array(tie('node'), { maxLength: 6 })),
      ),
    })).node;
    fc.assert(
      fc.property(outline, fc.integer({ min: 1, max: 30 }), (shape, maxNodes) => {
        const tree = treeOf(['/', [shape]]);
        const { root, nodeCount } = buildPageModel(tree, limits({ maxNodes, minShare: 0 }));
        expect(nodeCount).toBeLessThanOrEqual(maxNodes + 2);
        for (const node of pageNodes(root)) {
          if (!node.ch) continue;
          expect(node.ch.reduce((sum, c) => sum + c.s, 0)).toBe(node.s);
          expect(node.ch.reduce((sum, c) => sum + c.u, 0)).toBe(node.u);
        }
      }),
    );
  });

  it('leaves folders past the budget closed, saying how many entries they hold', () => {
    const { root, nodeCount } = buildPageModel(
      treeOf(['/', [['a', [['x', 'new', 50], ['y', 'new', 40]]], ['b', [['z', 'new', 5]]]]]),
      limits({ maxNodes: 3 }),
    );
    expect(nodeCount).toBe(3);
    expect(root.ch!.map((c) => c.n)).toEqual(['a', '1 small entry']);
    expect(find(root, 'a')).toMatchObject({ m: 2 });
    expect(find(root, 'a').ch).toBeUndefined();
  });
});
