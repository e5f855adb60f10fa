/**
 * Path-diff checkpointing for a depth-first walk. When the walk moves on from directory `from` to
 * directory `to`, the directories it has left are those on `from`'s path below the longest
 * common prefix (by components) of the two: each is complete, and is finalised deepest first.
 * @module
 */
import { isSameOrBelow, parentPath } from '#backup/domain/paths/byte-path.js';

/**
 * The directories left when the walk moves from directory `from` to directory `to`, deepest
 * first: `from` and its ancestors that are not `to` or an ancestor of `to`. With `to` undefined
 * (the walk is over) every directory on `from`'s path is left, ending with the root.
 */
export function directoriesLeft(from: string, to: string | undefined): string[] {
  // Up from `from` by slicing, not by splitting both paths into components: this runs each time the walk changes folder.
  const left: string[] = [];
  for (let at: string | undefined = from; at !== undefined && (to === undefined || !isSameOrBelow(to, at)); at = parentPath(at)) left.push(at);
  return left;
}
