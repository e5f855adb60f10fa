/**
 * `--for rsync`: filter rules, NUL-separated, for one recursive rsync run from the scanned root,
 * `rsync -a --from0 --filter='merge -' ROOT/ DEST/` (the rules read from stdin). rsync takes the
 * first rule that matches, so the list reads:
 *
 * 1. the skip rules, as `- ` excludes (tool-exclusions.ts: none matches a listed path);
 * 2. each listed path: `+ /file`, `+ /bare-folder/` (the folder, not its contents), `+ /folder/***`
 *    (the folder and everything in it);
 * 3. each folder above a listed path, `+ /folder/`, so rsync walks down to it;
 * 4. `- *`: nothing else.
 * @module
 */
import { ancestorFolders, type ToolItem } from './tool-items.js';
import type { ToolExclusion } from './tool-exclusions.js';

/** `path` as an rsync pattern: with `wild`, or when it holds a wildcard, `\` escapes `*?[\`. */
function pattern(path: string, wild = false): string {
  return wild || /[*?[]/.test(path) ? path.replace(/[\\*?[]/g, '\\$&') : path;
}

function includeRule(item: ToolItem): string {
  if (item.kind === 'whole-folder') return item.path === '/' ? '+ /***' : `+ ${pattern(item.path, true)}/***`;
  return `+ ${pattern(item.path)}${item.kind === 'bare-folder' ? '/' : ''}`;
}

function excludeRule(exclusion: ToolExclusion): string | undefined {
  const names = exclusion.names.join('/');
  if (!exclusion.anchored && (names.includes('/') || names === '**')) return undefined;
  return `- ${exclusion.anchored ? '/' : ''}${names}${exclusion.directoryOnly ? '/' : ''}`;
}

/** The filter rules, each ended by NUL (see the module comment). */
export function rsyncFilter(items: readonly ToolItem[], exclusions: readonly ToolExclusion[]): string {
  const rules = [
    ...exclusions.map(excludeRule).filter((rule) => rule !== undefined),
    ...items.map(includeRule),
    ...[...ancestorFolders(items)].map((folder) => `+ ${pattern(folder)}/`),
    '- *',
  ];
  return rules.map((rule) => `${rule}\0`).join('');
}
