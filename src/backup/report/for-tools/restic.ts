/**
 * `--for restic`: the list for `restic backup --files-from-raw` and an exclude file for
 * `--exclude-file`. restic saves every folder it is given whole, and records the folders above
 * each path it saves (their owner, mode and times), so:
 *
 * - files and folders saved whole are handed over by path;
 * - a bare folder with something listed below it is left to restic's record of the folders above;
 * - a bare folder with nothing listed below it is handed over, and its contents excluded
 *   (`ROOT/folder/*`): restic then saves the folder's own entry alone.
 *
 * restic matches excludes against absolute host paths even when given relative ones, so the
 * exclude file names the scanned root; it expands `$VAR` (written `$$` for a `$`) and trims each
 * line, which a name with a newline or trailing blank cannot survive.
 * @module
 */
import { leafBareFolders, relativePath, ToolFormatError, type ToolItem } from './tool-items.js';
import type { ToolExclusion } from './tool-exclusions.js';

/** The NUL-separated paths, relative to the scanned root, for `restic backup --files-from-raw`. */
export function resticFiles(items: readonly ToolItem[]): string {
  const leaves = new Set(leafBareFolders(items));
  return items
    .filter((item) => item.kind !== 'bare-folder' || leaves.has(item))
    .map((item) => `${relativePath(item.path)}\0`)
    .join('');
}

/** A literal byte string as a restic pattern: wildcards and `\` escaped, `$` doubled. */
function literal(bytes: string): string {
  return bytes.replace(/[\\*?[]/g, '\\$&').replace(/\$/g, '$$$$');
}

/** One line of the exclude file, or a refusal when restic would read it as something else. */
function line(pattern: string, what: string): string {
  if (/[\n\r]/.test(pattern) || /\s$/.test(pattern)) {
    throw new ToolFormatError(`restic's exclude file cannot hold ${what}: a newline or a trailing blank in ${JSON.stringify(pattern)}`);
  }
  return `${pattern}\n`;
}

/**
 * The exclude file for `restic backup --exclude-file`: contents of bare folders with nothing listed
 * below them, then the skip rules (tool-exclusions.ts). `hostRoot` is the scanned root on this
 * host, as an absolute byte string. Throws {@link ToolFormatError} for a name restic cannot read.
 */
export function resticExcludes(items: readonly ToolItem[], exclusions: readonly ToolExclusion[], hostRoot: string): string {
  const root = hostRoot === '/' ? '' : hostRoot;
  let text = '# what-to-backup --for restic: folders saved without their contents\n';
  for (const bare of leafBareFolders(items)) text += line(`${literal(root + bare.path)}/*`, bare.path);
  text += '# skip rules, against what appears after the scan\n';
  for (const exclusion of exclusions) {
    const names = exclusion.names.map((name) => name.replace(/\$/g, '$$$$')).join('/');
    const pattern = `${exclusion.anchored ? `${literal(root)}/` : ''}${names}${exclusion.directoryOnly ? '/*' : ''}`;
    if (!/[\n\r]/.test(pattern) && !/\s$/.test(pattern)) text += `${pattern}\n`;
  }
  return text;
}
