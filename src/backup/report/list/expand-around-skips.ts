/**
 * A folder saved whole may hold what a skip rule left out (collapse.ts `foldsOver`): the summary
 * keeps one node for it, not a line per file beside the skipped cache. A plain list carries no
 * excludes, so before it is printed each such folder is opened up again, one directory listing
 * per folder on the way to each skipped path: its own entry, what it holds but the skipped path
 * (whole where nothing was skipped inside), and so on down. A folder that can no longer be listed
 * stays whole: a list may copy a cache, it must never drop a file. The listing does not know
 * which folders on the way are intact package folders, so it may name a few more folder entries
 * than the exact fold would (their own entry, or an empty one whole): metadata, never a file lost.
 * @module
 */
import { byteOrder } from '#backup/domain/paths/byte-order.js';
import { childPath, parentPath } from '#backup/domain/paths/byte-path.js';
import { folderPath } from './flat-list.js';

/** One entry of a directory listing: its name (byte string) and whether it is a directory. */
export interface ListedChild {
  /** The entry's name. */
  readonly name: string;
  /** True for a directory (not a symlink to one). */
  readonly directory: boolean;
}

/** Lists a directory now; undefined when it cannot be (vanished, no longer a directory). */
export type ListDirectory = (dir: string) => readonly ListedChild[] | undefined;

/** A list opened up: its paths, and the folders now listed bare (their own entry) that the tree does not show. */
export interface OpenedList {
  /** Sorted in byte order, as flatList gives a list. */
  readonly list: string[];
  /** Folders listed bare by the opening up. */
  readonly bare: ReadonlySet<string>;
}

/** `list` (sorted, as flatList gives it) with each folder holding a `skipped` path opened up around it. */
export function expandAroundSkips(list: readonly string[], skipped: readonly string[], listDirectory: ListDirectory): OpenedList {
  const folders = new Set(list.filter((p) => p.endsWith('/')).map((p) => (p === '/' ? '/' : p.slice(0, -1))));
  const inside = new Map<string, string[]>(); // listed folder -> skipped paths below it
  for (const path of skipped) {
    for (let at = parentPath(path); at !== undefined; at = parentPath(at)) {
      if (!folders.has(at)) continue;
      const list = inside.get(at);
      if (list === undefined) inside.set(at, [path]);
      else list.push(path);
      break;
    }
  }
  const bare = new Set<string>();
  if (inside.size === 0) return { list: [...list], bare };
  const out: string[] = [];
  for (const line of list) {
    const folder = line === '/' ? '/' : line.slice(0, -1);
    const skips = line.endsWith('/') ? inside.get(folder) : undefined;
    if (skips === undefined) out.push(line);
    else openUp(folder, new Set(skips), listDirectory, out, bare);
  }
  return { list: out.sort(byteOrder), bare };
}

/** Pushes `folder`'s lines with `skips` (paths below it) left out; an explicit stack, for any depth. */
function openUp(folder: string, skips: ReadonlySet<string>, listDirectory: ListDirectory, out: string[], bare: Set<string>): void {
  // The folders on the way from `folder` to a skipped path: the only ones opened up.
  const onTheWay = new Set<string>();
  for (const skip of skips) for (let at = parentPath(skip); at !== undefined && at !== folder && !onTheWay.has(at); at = parentPath(at)) onTheWay.add(at);
  const stack = [folder];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const children = listDirectory(dir);
    if (children === undefined) {
      out.push(folderPath(dir)); // cannot look again: keep it whole
      continue;
    }
    if (dir !== '/') {
      out.push(dir); // its own entry (the root's is never listed bare)
      bare.add(dir);
    }
    for (const child of children) {
      const path = childPath(dir, child.name);
      if (skips.has(path)) continue;
      if (child.directory && onTheWay.has(path)) stack.push(path);
      else out.push(child.directory ? folderPath(path) : path);
    }
  }
}
