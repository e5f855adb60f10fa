/**
 * Path-diff checkpointing for a depth-first walk. When the walk moves on from directory `from` to
 * directory `to`, the directories it has left are those on `from`'s path below the longest
 * common prefix (by components) of the two: each is complete, and is finalised deepest first.
 * @module
 */
import { isSameOrBelow, joinComponents, pathComponents } from '#backup/domain/paths/byte-path.js';

/**
 * The directories left when the walk moves from directory `from` to directory `to`, deepest
 * first: `from` and its ancestors that are not `to` or an ancestor of `to`. With `to` undefined
 * (the walk is over) every directory on `from`'s path is left, ending with the root.
 */
export function directoriesLeft(from: string, to: string | undefined): string[] {
  if (to !== undefined && isSameOrBelow(to, from)) return []; // the walk went down: nothing left (and no path split)
  const fromParts = pathComponents(from);
  if (to === undefined) {
    const all: string[] = [];
    for (let depth = fromParts.length; depth >= 0; depth -= 1) all.push(joinComponents(fromParts.slice(0, depth)));
    return all;
  }
  const toParts = pathComponents(to);
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common += 1;
  const left: string[] = [];
  for (let depth = fromParts.length; depth > common; depth -= 1) left.push(joinComponents(fromParts.slice(0, depth)));
  return left;
}
