/** The subtrees that cost the most backup space, for the report's table. */
import { BinaryHeap } from './binary-heap.js';
import { bytesOf, type SpaceNode } from './space-tree.js';

/** A subtree and what it costs to back up. */
export interface Ranked {
  /** The subtree's top node. */
  readonly node: SpaceNode;
  /** Bytes to back up in it, exact. */
  readonly saveSize: bigint;
}

interface Seen {
  readonly node: SpaceNode;
  /** A float is enough to rank; the kept few are made exact at the end. */
  readonly size: number;
}

/** The `limit` nodes below the root with the largest save size, largest first. */
export function largestSaveSubtrees(tree: SpaceNode, limit: number): Ranked[] {
  // Keeps the `limit` best seen so far, smallest on top, so a million nodes cost O(n log limit).
  const kept = new BinaryHeap<Seen>((a, b) => a.size < b.size);
  const stack: SpaceNode[] = [...(tree.children ?? [])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const size = Number(node.saveSize);
    if (size > 0 && limit > 0) {
      if (kept.size < limit) kept.push({ node, size });
      else if (size > kept.peek()!.size) {
        kept.pop();
        kept.push({ node, size });
      }
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  const ranked: Ranked[] = [];
  while (kept.size > 0) {
    const { node } = kept.pop()!;
    ranked.push({ node, saveSize: bytesOf(node.saveSize) });
  }
  return ranked.reverse();
}
