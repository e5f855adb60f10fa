/** Summary trees for the report's tests, built from a compact outline. */
import type { SpaceClass, SpaceNode } from '#backup/report/html/space-tree.js';

/** A leaf: [name, class, saveSize, unmodifiedSize?, note?]; a folder: [name, children]. */
export type Outline =
  | readonly [name: string, cls: SpaceClass, save: number, unmodified?: number, note?: string]
  | readonly [name: string, children: readonly Outline[]];

/** Builds the tree with totals summed and classes derived, as the domain would report them. */
export function treeOf(outline: Outline, parentPath = ''): SpaceNode {
  const [name] = outline;
  const path = parentPath === '' ? name : parentPath === '/' ? `/${name}` : `${parentPath}/${name}`;
  if (Array.isArray(outline[1])) {
    const children = (outline[1] as readonly Outline[]).map((child) => treeOf(child, path));
    const sum = (key: 'saveSize' | 'unmodifiedSize') => children.reduce((total, c) => total + Number(c[key]), 0);
    const classes = new Set(children.map((c) => c.class));
    const counts: Record<string, number> = {};
    for (const child of children) for (const [k, v] of Object.entries(child.counts ?? {})) counts[k] = (counts[k] ?? 0) + v;
    return {
      name,
      path,
      saveSize: sum('saveSize'),
      unmodifiedSize: sum('unmodifiedSize'),
      class: classes.size === 1 ? [...classes][0]! : 'mixed',
      counts,
      children,
    };
  }
  const [, cls, save, unmodified = 0, note] = outline as readonly [string, SpaceClass, number, number?, string?];
  return {
    name,
    path,
    saveSize: save,
    unmodifiedSize: unmodified,
    class: cls,
    counts: cls === 'mixed' ? {} : { [cls]: 1 },
    ...(note ? { note } : {}),
  };
}

/** A small system: a home folder, some etc changes, a cache a rule points at, an error. */
export const sampleOutline: Outline = [
  '/',
  [
    [
      'home',
      [
        [
          'ana',
          [
            ['photos', 'new', 4_200_000_000],
            ['music', 'new', 2_100_000_000],
            ['.cache', 'new', 900_000_000, 0, 'cache: safe to skip'],
            ['projects', 'new', 1_300_000_000],
            ['notes.txt', 'new', 120_000],
          ],
        ],
        ['bo', [['videos', 'new', 3_100_000_000], ['docs', 'new', 450_000_000]]],
      ],
    ],
    [
      'etc',
      [
        ['ssh', 'modified', 40_000, 2_000_000],
        ['nginx', 'new', 800_000],
        ['fstab', 'modified', 2_000],
        ['X11', 'unmodified', 0, 3_000_000],
      ],
    ],
    [
      'var',
      [
        ['lib', [['postgresql', 'new', 1_700_000_000], ['dpkg', 'unmodified', 0, 90_000_000]]],
        ['log', 'new', 600_000_000],
        ['spool', 'unreadable', 0],
      ],
    ],
    ['usr', [['local', 'new', 750_000_000], ['share', 'unmodified', 0, 5_600_000_000]]],
    ['opt', [['tool', 'modified', 380_000_000, 1_200_000_000]]],
  ],
];

/** Sizes within 1:10 of each other, so every tile is drawn large enough to measure. */
export const balancedOutline: Outline = [
  '/',
  [
    ['a', [['a1', 'new', 600e6], ['a2', 'new', 300e6], ['a3', 'modified', 100e6]]],
    ['b', 'new', 500e6],
    ['c', [['c1', 'new', 200e6], ['c2', 'new', 150e6, 40e6]]],
    ['d', 'modified', 250e6],
    ['e', 'new', 120e6, 0, 'rule note'],
  ],
];
