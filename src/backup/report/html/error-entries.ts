/** Entries the scan could not look at: never dropped silently, listed in the report. */
import type { SpaceNode } from './space-tree.js';

/** One entry the scan could not look at. */
export interface ErrorEntry {
  /** Byte-string path. */
  readonly path: string;
  /** Why: it could not be read, or the scan did not go there (another file system). */
  readonly class: 'unreadable' | 'not-scanned';
  /** Details, e.g. `EACCES` or `mount point`. */
  readonly reason?: string;
}

/** The entries to list, and how many there are in all. */
export interface ErrorList {
  /** The first `limit`, in tree order. */
  readonly shown: ErrorEntry[];
  /** How many there are, shown or not. */
  readonly total: number;
}

/** The unreadable and not-scanned entries of a tree, in tree order, the first `limit` kept. */
export function errorEntries(tree: SpaceNode, limit: number): ErrorList {
  const shown: ErrorEntry[] = [];
  let total = 0;
  const add = (entry: ErrorEntry) => {
    total += 1;
    if (shown.length < limit) shown.push(entry);
  };
  const stack: SpaceNode[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.class === 'unreadable' || node.class === 'not-scanned') {
      add({ path: node.path, class: node.class, ...(node.reason ? { reason: node.reason } : {}) });
    }
    for (const error of node.errors ?? []) {
      if (error.class !== 'excluded') add({ path: error.path, class: error.class, ...(error.reason ? { reason: error.reason } : {}) });
    }
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return { shown, total };
}
