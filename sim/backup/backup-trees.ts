/**
 * Random classified trees for what-to-backup tests (fast-check arbitraries), the walks that feed
 * them to a summary (depth-first with any sibling order, or any valid post-order of completions),
 * and a slow, obvious batch answer to compare the streaming summary against.
 */
import fc from 'fast-check';
import { childPath } from '#backup/domain/paths/byte-path.js';
import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { byName, byteOrder } from '#backup/domain/paths/byte-order.js';

/** A node of a generated tree; directories have children (possibly none), others have none. */
export interface TreeSpec {
  readonly name: string;
  readonly kind: ScannedEntry['kind'];
  readonly class: EntryClass;
  readonly size: bigint;
  /** Files sharing a link group are hard links of one inode (same size). */
  readonly linkGroup?: number;
  readonly reason?: string;
  readonly children: readonly TreeSpec[];
}

export interface TreeOptions {
  /** Deepest directory level (default 4). */
  readonly maxDepth?: number;
  /** Most children per directory (default 5). */
  readonly maxChildren?: number;
  /** Generate hard links (default false). */
  readonly hardLinks?: boolean;
}

/** Byte-string names, including the awkward ones: newline, backslash, non-UTF-8, UTF-8, spaces. */
export const nameArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'etc', 'usr', 'home', 'x y', 'new\nline', 'back\\slash', '\xff\xfe', 'caf\xc3\xa9', '.hidden', 'a-b'),
  fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((b) => String.fromCharCode(b)), minLength: 1, maxLength: 6 }),
).filter((name) => !name.includes('/') && name !== '.' && name !== '..');

/** Mostly the walked classes, so that trees grow; now and then one that blocks folding. */
const classArbitrary: fc.Arbitrary<EntryClass> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<EntryClass>('new', 'modified', 'unmodified') },
  { weight: 1, arbitrary: fc.constantFrom<EntryClass>('excluded', 'unreadable', 'not-scanned') },
);

/** Raw shape before classes are resolved: each node either inherits its parent's class or picks. */
interface RawNode {
  readonly kind: ScannedEntry['kind'];
  readonly pick: EntryClass;
  readonly inherit: boolean;
  readonly size: number;
  readonly linkGroup: number | null;
  readonly children: readonly (readonly [string, RawNode])[];
}

/** A random classified tree rooted at a directory named `/`. Pure subtrees are common, so folding happens. */
export function treeArbitrary(options: TreeOptions = {}): fc.Arbitrary<TreeSpec> {
  const maxChildren = options.maxChildren ?? 5;
  const linkGroup = options.hardLinks ? fc.option(fc.integer({ min: 0, max: 3 }), { freq: 3 }) : fc.constant(null);
  const common = {
    pick: classArbitrary,
    size: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 40 })),
  };
  const inheritWeighted = fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
  const leaf: fc.Arbitrary<RawNode> = fc.record({
    ...common,
    inherit: inheritWeighted,
    kind: fc.constantFrom<ScannedEntry['kind']>('file', 'file', 'symlink', 'other'),
    linkGroup,
    children: fc.constant([]),
  });
  const dirAt = (depth: number, minLength = 0): fc.Arbitrary<RawNode> =>
    fc.record({
      ...common,
      inherit: inheritWeighted,
      kind: fc.constant<ScannedEntry['kind']>('directory'),
      linkGroup: fc.constant(null),
      children:
        depth === 0
          ? fc.constant([])
          : fc.uniqueArray(fc.tuple(nameArbitrary, fc.oneof(leaf, dirAt(depth - 1))), {
              minLength,
              maxLength: Math.max(maxChildren, minLength),
              selector: ([name]) => name,
            }),
    });
  return dirAt(options.maxDepth ?? 4, 2).map((raw) => resolve('/', raw, undefined, new Map()));
}

function resolve(name: string, raw: RawNode, parent: EntryClass | undefined, groupSizes: Map<number, bigint>): TreeSpec {
  const inheritable = parent === 'new' || parent === 'modified' || parent === 'unmodified';
  const entryClass = raw.inherit && inheritable ? parent : raw.pick;
  const walked = raw.kind === 'directory' && (entryClass === 'new' || entryClass === 'modified' || entryClass === 'unmodified');
  let size = raw.kind === 'directory' ? 4096n : BigInt(raw.size);
  if (raw.linkGroup !== null) {
    size = groupSizes.get(raw.linkGroup) ?? size;
    groupSizes.set(raw.linkGroup, size);
  }
  return {
    name,
    kind: raw.kind,
    class: entryClass,
    size,
    ...(raw.linkGroup === null ? {} : { linkGroup: raw.linkGroup }),
    ...(entryClass === 'new' || entryClass === 'unmodified' ? {} : { reason: `why-${entryClass}` }),
    // Excluded, unreadable and not-scanned directories are not walked: nothing below them.
    children: walked ? raw.children.map(([childName, child]) => resolve(childName, child, entryClass, groupSizes)) : [],
  };
}

/** The entry the scanner would report for `node` at `path`. */
export function entryOf(node: TreeSpec, path: string): ScannedEntry {
  return {
    path,
    kind: node.kind,
    class: node.class,
    size: node.size,
    ...(node.linkGroup === undefined ? {} : { identity: { dev: 1n, ino: BigInt(1000 + node.linkGroup) }, links: 2 }),
    ...(node.reason === undefined ? {} : { reason: node.reason }),
  };
}

/** A small deterministic random number generator (mulberry32), for reproducible orders. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The entries of `tree` (rooted at `rootPath`) depth-first, each directory before its children;
 * siblings in name order, or shuffled by `seed`. */
export function depthFirstEntries(tree: TreeSpec, seed?: number, rootPath = '/'): ScannedEntry[] {
  const random = seed === undefined ? undefined : seededRandom(seed);
  const entries: ScannedEntry[] = [];
  const visit = (node: TreeSpec, path: string) => {
    entries.push(entryOf(node, path));
    const children = random === undefined ? [...node.children].sort(byName) : shuffled(node.children, random);
    for (const child of children) visit(child, childPath(path, child.name));
  };
  visit(tree, rootPath);
  return entries;
}

export type WalkEvent = { readonly type: 'entry'; readonly entry: ScannedEntry } | { readonly type: 'complete'; readonly path: string };

/**
 * A random valid order for a parallel walker: each directory's entry before anything inside it,
 * each directory's completion after everything inside it (the root is completed by close()).
 */
export function parallelWalkEvents(tree: TreeSpec, seed: number): WalkEvent[] {
  const random = seededRandom(seed);
  const events: WalkEvent[] = [];
  type Pending = { readonly node: TreeSpec; readonly path: string; remaining: number; readonly parent: Pending | undefined };
  const ready: ({ kind: 'entry'; node: TreeSpec; path: string; parent: Pending | undefined } | { kind: 'complete'; dir: Pending })[] = [
    { kind: 'entry', node: tree, path: '/', parent: undefined },
  ];
  const childDone = (parent: Pending | undefined) => {
    if (parent === undefined) return;
    parent.remaining -= 1;
    if (parent.remaining === 0) ready.push({ kind: 'complete', dir: parent });
  };
  while (ready.length > 0) {
    const [next] = ready.splice(Math.floor(random() * ready.length), 1);
    if (next!.kind === 'entry') {
      const { node, path, parent } = next!;
      events.push({ type: 'entry', entry: entryOf(node, path) });
      if (node.kind !== 'directory') childDone(parent);
      else {
        const dir: Pending = { node, path, remaining: node.children.length, parent };
        if (node.children.length === 0) ready.push({ kind: 'complete', dir });
        for (const child of node.children) ready.push({ kind: 'entry', node: child, path: childPath(path, child.name), parent: dir });
      }
    } else {
      const { dir } = next!;
      if (dir.path !== '/') events.push({ type: 'complete', path: dir.path });
      childDone(dir.parent);
    }
  }
  return events;
}

const isSave = (c: EntryClass) => c === 'new' || c === 'modified';

/** Slow, obvious answer: the flat list of `tree`, computed over the whole tree at once. */
export function batchFlatList(tree: TreeSpec, rootPath = '/'): string[] {
  // Blockers: unmodified non-directories and excluded, unreadable or not-scanned entries.
  const blocks = (node: TreeSpec): boolean =>
    (node.class === 'unmodified' && node.kind !== 'directory') || !['new', 'modified', 'unmodified'].includes(node.class) || node.children.some(blocks);
  const holdsSave = (node: TreeSpec): boolean => isSave(node.class) || node.children.some(holdsSave);
  const savedWhole = (node: TreeSpec): boolean => {
    if (node.kind !== 'directory') return isSave(node.class);
    return (isSave(node.class) || node.class === 'unmodified') && !node.children.some(blocks) && holdsSave(node);
  };
  const list: string[] = [];
  const visit = (node: TreeSpec, path: string) => {
    if (savedWhole(node)) {
      list.push(node.kind === 'directory' && path !== '/' ? `${path}/` : path);
      return;
    }
    if (isSave(node.class) && path !== '/') list.push(path);
    for (const child of node.children) visit(child, childPath(path, child.name));
  };
  visit(tree, rootPath);
  return list.sort(byteOrder);
}

/** Every entry path a flat list stands for: a folder is itself and everything below it. */
export function expandFlatList(list: readonly string[], allPaths: readonly string[]): Set<string> {
  const covered = new Set<string>();
  const folders = list.filter((p) => p.endsWith('/'));
  for (const path of list) if (!path.endsWith('/')) covered.add(path);
  for (const path of allPaths) {
    if (folders.some((folder) => folder === '/' || path === folder.slice(0, -1) || path.startsWith(folder))) covered.add(path);
  }
  return covered;
}
