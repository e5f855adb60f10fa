/**
 * What a backup tool is handed, before each tool's own format (restic.ts, tar.ts, rsync.ts,
 * borg.ts): the printed list split into the three kinds of item a tool must treat differently.
 *
 * - `entry`: a file, symlink or other entry, saved as it is;
 * - `bare-folder`: a folder's own entry (owner, mode, that it exists), not its contents; what is
 *   inside and must be saved is listed on its own;
 * - `whole-folder`: a folder with everything in it.
 *
 * Tools run from the scanned system's root, so paths are handed over relative to it
 * ({@link relativePath}).
 * @module
 */
import { parentPath } from '#backup/domain/paths/byte-path.js';
import { forEachNode, type SummaryNode } from '#backup/domain/summary/summary-node.js';
import { isSaveClass } from '#backup/domain/summary/totals.js';

/** How a tool must treat an item (see the module comment). */
export type ToolItemKind = 'entry' | 'bare-folder' | 'whole-folder';

/** One path a tool must back up. */
export interface ToolItem {
  /** Absolute byte-string path of the scanned system, without trailing slash (the root is `/`). */
  readonly path: string;
  /** How the tool treats it. */
  readonly kind: ToolItemKind;
}

/** A way the list cannot be said in a tool's own format (a name the format cannot hold). */
export class ToolFormatError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'ToolFormatError';
}

/** The listed directories that are listed bare (no trailing slash), from the summary tree. */
function bareFolders(root: SummaryNode | undefined): Set<string> {
  const bare = new Set<string>();
  if (root !== undefined) {
    forEachNode(root, (node) => {
      if (node.shape !== 'save-folder' && node.kind === 'directory' && isSaveClass(node.class)) bare.add(node.path);
    });
  }
  return bare;
}

/** The printed list (flat-list.ts: folders saved whole end in `/`) as tool items. */
export function toolItems(list: readonly string[], root: SummaryNode | undefined, alsoBare: ReadonlySet<string> = new Set()): ToolItem[] {
  const bare = bareFolders(root);
  for (const path of alsoBare) bare.add(path);
  return list.map((listed) => {
    if (listed.endsWith('/')) return { path: listed === '/' ? '/' : listed.slice(0, -1), kind: 'whole-folder' };
    return { path: listed, kind: bare.has(listed) ? 'bare-folder' : 'entry' };
  });
}

/** `path` relative to the root the tool runs from: `/etc/x` → `etc/x`, `/` → `.`. */
export function relativePath(path: string): string {
  return path === '/' ? '.' : path.slice(1);
}

/** Every folder above an item (not the root), each once: the folders a tool passes through. */
export function ancestorFolders(items: readonly ToolItem[]): Set<string> {
  const ancestors = new Set<string>();
  for (const item of items) {
    for (let up = parentPath(item.path); up !== undefined && up !== '/' && !ancestors.has(up); up = parentPath(up)) ancestors.add(up);
  }
  return ancestors;
}

/** The bare folders with nothing listed below them: only their own entry is to be saved. */
export function leafBareFolders(items: readonly ToolItem[]): ToolItem[] {
  const ancestors = ancestorFolders(items);
  return items.filter((item) => item.kind === 'bare-folder' && !ancestors.has(item.path));
}
