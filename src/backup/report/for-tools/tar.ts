/**
 * `--for tar`: two NUL-separated lists for GNU tar run from the scanned root,
 * `tar --null -C ROOT -cf ARCHIVE --no-recursion -T ENTRIES --recursion -T FOLDERS`: the entries
 * (files and bare folders, each saved without what is inside) and the folders saved whole.
 *
 * Two lists, because `--no-recursion` and `--recursion` inside a list need tar's non-verbatim
 * reading, which splits names at newlines and takes a leading `-` for an option; `--null` lists
 * are read verbatim. tar's `--exclude` patterns are positional and global, so skip rules are not
 * handed over: tar copies what appears in a saved folder after the scan.
 * @module
 */
import { relativePath, type ToolItem } from './tool-items.js';

/** The lists tar reads. */
export interface TarLists {
  /** Files and bare folders, for `--no-recursion -T`. */
  readonly entries: string;
  /** Folders saved whole, for `--recursion -T`. */
  readonly folders: string;
}

/** The two lists, paths relative to the scanned root, each ended by NUL. */
export function tarLists(items: readonly ToolItem[]): TarLists {
  const list = (keep: (item: ToolItem) => boolean) =>
    items
      .filter(keep)
      .map((item) => `${relativePath(item.path)}\0`)
      .join('');
  return { entries: list((item) => item.kind !== 'whole-folder'), folders: list((item) => item.kind === 'whole-folder') };
}
