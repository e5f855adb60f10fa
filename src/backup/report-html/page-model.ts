/**
 * The tree the page draws: the summary tree, largest subtrees first, within a node budget.
 * A browser stays fast with tens of thousands of tiles, not millions, so folders are expanded
 * biggest first until the budget is spent, and children too small to see beside their siblings
 * become one "N small entries" tile that keeps their total size.
 */
import { BinaryHeap } from './binary-heap.js';
import { addCounts, countsText } from './counts-text.js';
import { escapePath } from '../domain/path-escape.js';
import { formatCount } from './number-text.js';
import { formatSize } from '../domain/size-format.js';
import { bytesOf, type SpaceNode } from './space-tree.js';
import { tileClassOf, type TileClass } from './tile-class.js';
import type { EntryClass } from '../domain/entry.js';

/** One tile's data, with short keys: the page may hold tens of thousands of them. */
export interface PageNode {
  /** Position in the page's tree, for links from the tables. */
  readonly id: number;
  /** Display name (decoded, escaped where not UTF-8); the root's is its path. */
  readonly n: string;
  /** Save and unmodified bytes, as numbers for the layout. */
  readonly s: number;
  readonly u: number;
  /** The same sizes for people, exact. */
  readonly S: string;
  readonly U: string;
  readonly c: TileClass;
  /** Counts in words, rule note, reason: only when there is something to say. */
  readonly k?: string;
  readonly t?: string;
  readonly r?: string;
  /** A few names a folded folder holds. */
  readonly f?: string;
  /** Entries inside that are not drawn: the aggregated ones of a small tile, or a folder left unexpanded. */
  m?: number;
  ch?: PageNode[];
}

export interface PageModel {
  readonly root: PageNode;
  readonly nodeCount: number;
  /** Page id of every summary node that got its own tile. */
  readonly idOf: ReadonlyMap<SpaceNode, number>;
}

export interface PageLimits {
  /** Most tiles in the page. */
  readonly maxNodes: number;
  /** Most tiles directly inside one folder before the rest are aggregated. */
  readonly maxChildren: number;
  /** A child smaller than this share of its folder is aggregated. */
  readonly minShare: number;
}

export const defaultPageLimits: PageLimits = { maxNodes: 40_000, maxChildren: 400, minShare: 1 / 20_000 };

interface Pending {
  readonly weight: number;
  readonly space: SpaceNode;
  readonly page: PageNode;
}

const weightOf = (node: SpaceNode) => Number(bytesOf(node.saveSize) + bytesOf(node.unmodifiedSize));

export function buildPageModel(tree: SpaceNode, limits: PageLimits = defaultPageLimits): PageModel {
  const idOf = new Map<SpaceNode, number>();
  let nextId = 0;
  const tile = (space: SpaceNode): PageNode => {
    const id = nextId++;
    idOf.set(space, id);
    return pageNodeOf(space, id);
  };
  const root = tile(tree);
  const pending = new BinaryHeap<Pending>((a, b) => a.weight > b.weight);
  if (tree.children?.length) pending.push({ weight: weightOf(tree), space: tree, page: root });

  while (pending.size > 0) {
    const { weight, space, page } = pending.pop()!;
    const children = [...space.children!].map((child) => ({ child, weight: weightOf(child) }));
    if (nextId >= limits.maxNodes) {
      page.m = children.length;
      continue;
    }
    children.sort((a, b) => b.weight - a.weight);
    const shown: PageNode[] = [];
    const small: SpaceNode[] = [];
    for (const { child, weight: childWeight } of children) {
      const fits = nextId < limits.maxNodes && shown.length < limits.maxChildren;
      if (fits && childWeight > 0 && childWeight >= weight * limits.minShare) {
        const childPage = tile(child);
        shown.push(childPage);
        if (child.children?.length) pending.push({ weight: childWeight, space: child, page: childPage });
      } else {
        small.push(child);
      }
    }
    if (small.length > 0) shown.push(smallTile(small, nextId++));
    const rest = restTile(space, nextId);
    if (rest) {
      shown.push(rest);
      nextId++;
    }
    page.ch = shown;
  }
  return { root, nodeCount: nextId, idOf };
}

function pageNodeOf(space: SpaceNode, id: number): PageNode {
  const save = bytesOf(space.saveSize);
  const unmodified = bytesOf(space.unmodifiedSize);
  const counts = countsText(space.counts);
  return {
    id,
    n: escapePath(space.name),
    s: Number(save),
    u: Number(unmodified),
    S: formatSize(save),
    U: formatSize(unmodified),
    c: tileClassOf(space),
    ...(counts ? { k: counts } : {}),
    ...(space.note ? { t: space.note } : {}),
    ...(space.reason ? { r: space.reason } : {}),
    ...(space.contents ? { f: space.contents } : {}),
  };
}

/** Many entries as one tile that keeps their sizes and counts. */
function smallTile(entries: readonly SpaceNode[], id: number): PageNode {
  let save = 0n;
  let unmodified = 0n;
  const counts: Partial<Record<EntryClass, number>> = {};
  for (const entry of entries) {
    save += bytesOf(entry.saveSize);
    unmodified += bytesOf(entry.unmodifiedSize);
    addCounts(counts, entry.counts ?? { [entry.class === 'mixed' ? 'new' : entry.class]: 1 });
  }
  const files = entries.every((e) => !e.children?.length);
  const one = entries.length === 1;
  const noun = files ? (one ? 'small file' : 'small files') : one ? 'small entry' : 'small entries';
  const node: PageNode = {
    id,
    n: `${formatCount(entries.length)} ${noun}`,
    s: Number(save),
    u: Number(unmodified),
    S: formatSize(save),
    U: formatSize(unmodified),
    c: 'small',
    m: entries.length,
  };
  const k = countsText(counts);
  return k ? { ...node, k } : node;
}

/** What a folder's total holds beyond its listed children, so the children fill it exactly. */
function restTile(space: SpaceNode, id: number): PageNode | undefined {
  let save = bytesOf(space.saveSize);
  let unmodified = bytesOf(space.unmodifiedSize);
  for (const child of space.children!) {
    save -= bytesOf(child.saveSize);
    unmodified -= bytesOf(child.unmodifiedSize);
  }
  if (save <= 0n && unmodified <= 0n) return undefined;
  save = save > 0n ? save : 0n;
  unmodified = unmodified > 0n ? unmodified : 0n;
  return { id, n: 'entries not listed', s: Number(save), u: Number(unmodified), S: formatSize(save), U: formatSize(unmodified), c: 'small' };
}
