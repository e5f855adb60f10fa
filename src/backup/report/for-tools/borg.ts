/**
 * `--for borg`: a patterns file for `borg create --patterns-from FILE`, run from the scanned root
 * (borg 1.2: `R` a root, `+` include, `-` exclude but look inside, `!` exclude and do not look
 * inside; the first pattern that matches wins):
 *
 * 1. `R .`: the scanned root;
 * 2. the skip rules, as `! sh:` patterns (tool-exclusions.ts: none matches a listed path);
 * 3. each listed path: `+ pf:file`, `+ pf:bare-folder` (the folder's own entry; what is listed
 *    inside it is included on its own), `+ pp:folder` (the folder and everything below);
 * 4. the root and each folder above a listed path, `- pf:folder`: looked into, not saved
 *    (borg checks `pf:` patterns before all others, whatever their order);
 * 5. `! sh:**`: nothing else, not even looked into.
 *
 * borg reads the file line by line and trims each line, so a name with a newline, a blank at
 * either end or bytes that are not UTF-8 is written as an anchored regular expression (`re:`)
 * of escapes, which borg matches against the name as it decodes it (undecodable bytes as
 * U+DC80..U+DCFF, Python's surrogateescape).
 * @module
 */
import { utf8SequenceLength, decodeUtf8Sequence } from '#backup/domain/paths/utf8.js';
import { ancestorFolders, relativePath, type ToolItem } from './tool-items.js';
import type { ToolExclusion } from './tool-exclusions.js';

/** True when the name can be written as is on a trimmed line of UTF-8. */
function plain(bytes: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\x00-\x1f\x7f-\xff]/.test(bytes) && !/^\s|\s$/.test(bytes);
}

/** The name as regular-expression escapes of the characters borg decodes it into. */
function regexOf(bytes: string): string {
  let source = '';
  for (let at = 0; at < bytes.length; ) {
    const byte = bytes.charCodeAt(at);
    const length = byte < 0x80 ? 1 : utf8SequenceLength(bytes, at);
    const codePoint = byte < 0x80 ? byte : length === 0 ? 0xdc00 + byte : decodeUtf8Sequence(bytes, at, length);
    source += /[A-Za-z0-9_/]/.test(String.fromCharCode(byte)) && byte < 0x80 ? bytes[at] : unicodeEscape(codePoint);
    at += Math.max(length, 1);
  }
  return source;
}

function unicodeEscape(codePoint: number): string {
  return codePoint > 0xffff ? `\\U${codePoint.toString(16).padStart(8, '0')}` : `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

/** `pf:` (this path) or `pp:` (this path and below), or the same as an anchored `re:`. */
function pathPattern(path: string, below: boolean): string {
  const name = relativePath(path);
  if (plain(name)) return `${below ? 'pp' : 'pf'}:${name}`;
  return `re:^${regexOf(name)}${below ? '(?:/|$)' : '$'}`;
}

function excludePattern(exclusion: ToolExclusion): string | undefined {
  const names = exclusion.names.join('/');
  if (!plain(names)) return undefined;
  return `! sh:${exclusion.anchored ? '' : '**/'}${names}${exclusion.directoryOnly ? '/*' : ''}`;
}

/** The patterns file, one pattern a line (see the module comment). */
export function borgPatterns(items: readonly ToolItem[], exclusions: readonly ToolExclusion[]): string {
  const wholeRoot = items.some((item) => item.path === '/' && item.kind === 'whole-folder');
  // borg keeps pf: patterns in one table by path, the last one given winning: a folder both
  // listed and above a listed path must appear once, included.
  const listed = new Set(items.map((item) => item.path));
  const above = [...ancestorFolders(items)].filter((folder) => !listed.has(folder));
  const lines = [
    'R .',
    ...exclusions.map(excludePattern).filter((line) => line !== undefined),
    ...items.map((item) => `+ ${pathPattern(item.path, item.kind === 'whole-folder')}`),
    ...(wholeRoot ? [] : ['- pf:.', ...above.map((folder) => `- ${pathPattern(folder, false)}`), '! sh:**']),
  ];
  return lines.map((line) => `${line}\n`).join('');
}
