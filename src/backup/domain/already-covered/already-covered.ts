/**
 * `--already-covered LIST`: a non-admin user backs up what they can; root then backs up only the
 * rest. Both lists are flat lists (flat-list.ts): `dir/` is a folder with everything below it, a
 * path without the slash is that entry alone.
 *
 * An item of root's list is dropped when a covered folder holds it (or is it), or when it is a
 * single entry the user's list has too. A folder only partly covered (the user saved some of
 * what is inside, or only the directory itself) stays whole: the list cannot say "this folder
 * but not those files", and saving a little twice is better than missing something.
 */
import { assertAbsolutePath, parentPath } from '#backup/domain/paths/byte-path.js';

/** Root's list less what `covered` already backs up, in the same order. */
export function remainingAfterCovered(list: readonly string[], covered: readonly string[]): string[] {
  const folders = new Set<string>();
  const entries = new Set<string>();
  for (const item of covered) {
    if (isFolderItem(item)) folders.add(folderOf(item));
    else entries.add(item);
  }
  const insideCoveredFolder = (path: string): boolean => {
    for (let at: string | undefined = path; at !== undefined; at = parentPath(at)) if (folders.has(at)) return true;
    return false;
  };
  return list.filter((item) => {
    if (isFolderItem(item)) return !insideCoveredFolder(folderOf(item));
    return !entries.has(item) && !insideCoveredFolder(item);
  });
}

/** `dir/` (and the root folder `/`) names a folder with everything below it. */
export function isFolderItem(item: string): boolean {
  return item.endsWith('/');
}

/** The directory a folder item names: `/a/b/` → `/a/b`, `/` → `/`. */
export function folderOf(item: string): string {
  return item === '/' ? '/' : item.slice(0, -1);
}

/** Throws unless `item` is a list item: an absolute path, with a trailing slash for a folder. */
export function assertListItem(item: string): void {
  assertAbsolutePath(isFolderItem(item) ? folderOf(item) : item);
}
