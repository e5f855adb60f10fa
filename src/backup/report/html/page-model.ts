/**
 * The tree the page draws: the summary tree's largest entries, within a tile budget. A browser
 * stays quick with tens of thousands of tiles, not millions, so entries are taken largest first
 * across the whole tree (a child is never larger than its folder, so every tile's folder has a
 * tile too), and what is left in a folder becomes one "N small files" tile keeping its total.
 */
import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import { formatSize } from '#backup/report/size-format.js';
import { BinaryHeap } from './binary-heap.js';
import { addCounts, countsText } from './counts-text.js';
import { formatCount } from './number-text.js';
import { bytesOf, totalBytes, type SpaceNode } from './space-tree.js';
import { tileClassOf, type TileClass } from './tile-class.js';

/** One tile's data, with short keys: the page may hold tens of thousands of them. */
export interface PageNode {
  /** Position in the page's tree, for links from the tables. */
  readonly id: number;
  /** Display name (decoded, escaped where not UTF-8); the root's is its path. */
  readonly n: string;
  /** Save and unmodified bytes, as numbers for the layout. */
  readonly s: number;
  /** Unmodified bytes, as a number for the layout. */
  readonly u: number;
  /** The same sizes for people, exact. */
  readonly S: string;
  /** Unmodified bytes for people, exact. */
  readonly U: string;
  /** Its colour class. */
  readonly c: TileClass;
  /** Counts in words, rule note, reason: only when there is something to say. */
  readonly k?: string;
  /** The note of a rule that marked it. */
  readonly t?: string;
  /** Why it has its class. */
  readonly r?: string;
  /** A few names a folded folder holds. */
  readonly f?: string;
  /** Entries inside that are not drawn: the aggregated ones of a small tile, or a folder left unexpanded. */
  m?: number;
  /** Tiles drawn inside it: largest first, then any tile of small entries and of the rest. */
  ch?: PageNode[];
}

/** The tile tree for the page, and how the report's tables link to it. */
export interface PageModel {
  /** The top tile. */
  readonly root: PageNode;
  /** How many tiles there are in all. */
  readonly nodeCount: number;
  /** Page id of every summary node that got its own tile. */
  readonly idOf: ReadonlyMap<SpaceNode, number>;
}

/** How far the tile budget goes. */
export interface PageLimits {
  /** Most tiles in the page. */
  readonly maxNodes: number;
  /** Most tiles directly inside one folder before the rest are aggregated. */
  readonly maxChildren: number;
  /** A child smaller than this share of its folder is aggregated. */
  readonly minShare: number;
}

/** Limits that keep a whole system's map quick in a browser. */
export const defaultPageLimits: PageLimits = { maxNodes: 100_000, maxChildren: 400, minShare: 1 / 20_000 };

/** A folder with a tile whose children are being given tiles, largest first. */
interface Opened {
  readonly space: SpaceNode;
  readonly page: PageNode;
  readonly weight: number;
  /** Its children, largest first; those with tiles are a prefix. */
  readonly sorted: ReadonlyArray<{ readonly child: SpaceNode; readonly weight: number }>;
  readonly shown: PageNode[];
  readonly rest: PageNode | undefined;
}

/** The next child of `folder` to consider; the heap orders these by the child's weight. */
interface Candidate {
  readonly folder: Opened;
  readonly index: number;
}

/** Save plus unmodified bytes, as a float: enough to rank tiles, and quick for a million nodes. */
const weightOf = (node: SpaceNode) => Number(node.saveSize) + Number(node.unmodifiedSize);

/** The tiles for a summary tree, largest entries first, within `limits`. */
export function buildPageModel(tree: SpaceNode, limits: PageLimits = defaultPageLimits): PageModel {
  const idOf = new Map<SpaceNode, number>();
  let nextId = 0;
  /** Tiles made or promised: each opened folder may still need a small tile and a rest tile. */
  let used = 0;
  const opened: Opened[] = [];
  const candidates = new BinaryHeap<Candidate>(
    (a, b) => a.folder.sorted[a.index]!.weight > b.folder.sorted[b.index]!.weight,
  );
  const tile = (space: SpaceNode): PageNode => {
    const id = nextId++;
    used += 1;
    idOf.set(space, id);
    return pageNodeOf(space, id);
  };
  const open = (space: SpaceNode, page: PageNode, weight: number) => {
    if (!space.children?.length) return;
    const sorted = space.children.map((child) => ({ child, weight: weightOf(child) })).sort((a, b) => b.weight - a.weight);
    const childrenWeight = sorted.reduce((sum, c) => sum + c.weight, 0);
    // Exact sums only when the float ones leave doubt: most folders are filled by their children.
    const rest = childrenWeight === weight && weight <= Number.MAX_SAFE_INTEGER ? undefined : restTile(space);
    const folder: Opened = { space, page, weight, sorted, shown: [], rest };
    used += rest ? 2 : 1;
    opened.push(folder);
    candidates.push({ folder, index: 0 });
  };

  const root = tile(tree);
  open(tree, root, weightOf(tree));
  while (candidates.size > 0 && used < limits.maxNodes) {
    const { folder, index } = candidates.pop()!;
    const { child, weight } = folder.sorted[index]!;
    // Children come largest first, so once one is too small the rest of the folder is too.
    if (weight <= 0 || weight < folder.weight * limits.minShare || folder.shown.length >= limits.maxChildren) continue;
    const page = tile(child);
    folder.shown.push(page);
    if (index + 1 < folder.sorted.length) candidates.push({ folder, index: index + 1 });
    open(child, page, weight);
  }

  for (const folder of opened) {
    const hidden = folder.sorted.slice(folder.shown.length).map((s) => s.child);
    if (folder.shown.length === 0) {
      // Nothing inside earned a tile: the folder stays closed and says how much it holds.
      folder.page.m = folder.sorted.length;
      continue;
    }
    folder.page.ch = folder.shown;
    if (hidden.length > 0) folder.shown.push(smallTile(hidden, nextId++));
    if (folder.rest) folder.shown.push({ ...folder.rest, id: nextId++ });
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
  const save = totalBytes(entries.map((e) => e.saveSize));
  const unmodified = totalBytes(entries.map((e) => e.unmodifiedSize));
  const counts: Partial<Record<EntryClass, number>> = {};
  for (const entry of entries) addCounts(counts, entry.counts ?? { [entry.class === 'mixed' ? 'new' : entry.class]: 1 });
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
function restTile(space: SpaceNode): PageNode | undefined {
  let save = bytesOf(space.saveSize) - totalBytes(space.children!.map((c) => c.saveSize));
  let unmodified = bytesOf(space.unmodifiedSize) - totalBytes(space.children!.map((c) => c.unmodifiedSize));
  if (save <= 0n && unmodified <= 0n) return undefined;
  save = save > 0n ? save : 0n;
  unmodified = unmodified > 0n ? unmodified : 0n;
  return { id: -1, n: 'entries not listed', s: Number(save), u: Number(unmodified), S: formatSize(save), U: formatSize(unmodified), c: 'small' };
}
