/**
 * The flat list of what to back up: one path per entry, a folder saved whole ends in `/` (the root
 * folder is `/`), sorted in byte order (as `LC_ALL=C sort`), and no path lies inside a listed
 * folder. A path without a trailing slash means that entry alone; for a directory (a save
 * directory whose contents are not all saved) that is its own metadata, not its contents.
 * @module
 */
import { escapePath, unescapePath } from '#backup/domain/paths/path-escape.js';
import { forEachNode, type SummaryNode } from '#backup/domain/summary/summary-node.js';
import { isSaveClass } from '#backup/domain/summary/totals.js';
import { byteOrder } from '#backup/domain/paths/byte-order.js';

/** The paths to back up, as byte strings, sorted. */
export function flatList(root: SummaryNode | undefined): string[] {
  const list: string[] = [];
  if (root !== undefined) {
    forEachNode(root, (node) => {
      if (node.shape === 'save-folder') list.push(folderPath(node.path));
      else if (isSaveClass(node.class) && !(node.shape === 'mixed' && node.path === '/')) list.push(node.path);
      // A mixed root that is itself save cannot be listed bare without looking like the folder `/`.
    });
  }
  return list.sort(byteOrder);
}

/** `path` as a folder: with a trailing slash (the root stays `/`). */
export function folderPath(path: string): string {
  return path === '/' ? '/' : `${path}/`;
}

/** The text list: each path escaped (see path-escape.ts) on its own line; write it as UTF-8. */
export function renderTextList(list: readonly string[]): string {
  return list.map((path) => `${escapePath(path)}\n`).join('');
}

/** The paths of a text list, exactly as bytes (the inverse of {@link renderTextList}). */
export function parseTextList(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map(unescapePath);
}

/** The NUL-separated list: exact bytes, each path followed by a NUL; write it as latin1. */
export function renderNulList(list: readonly string[]): string {
  return list.map((path) => `${path}\0`).join('');
}
