/** The subtrees that cost the most backup space, for the report's table. */
import { BinaryHeap } from './binary-heap.js';
import { bytesOf, type SpaceNode } from './space-tree.js';

export interface Ranked {
  readonly node: SpaceNode;
  readonly saveSize: bigint;
}

/** The `limit` nodes below the root with the largest save size, largest first. */
export function largestSaveSubtrees(tree: SpaceNode, limit: number): Ranked[] {
  // Keeps the `limit` best seen so far, smallest on top, so a million nodes cost O(n log limit).
  const kept = new BinaryHeap<Ranked>((a, b) => a.saveSize < b.saveSize);
  const stack: SpaceNode[] = [...(tree.children ?? [])];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const saveSize = bytesOf(node.saveSize);
    if (saveSize > 0n && limit > 0) {
      if (kept.size < limit) kept.push({ node, saveSize });
      else if (saveSize > kept.peek()!.saveSize) {
        kept.pop();
        kept.push({ node, saveSize });
      }
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  const ranked: Ranked[] = [];
  while (kept.size > 0) ranked.push(kept.pop()!);
  return ranked.reverse();
}
