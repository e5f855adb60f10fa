/**
 * Reads the list given to `--already-covered`, in whichever form what-to-backup printed it; the
 * form is detected from the content:
 * - JSON (`--json`): starts with `{`; its `list` is used, exact bytes from `pathBase64`;
 * - NUL-separated (`-0`): holds a NUL byte; each path is exact bytes;
 * - text (the default): one escaped path a line (path-escape.ts), as UTF-8.
 * The input is the file's bytes as a byte string (one character per byte). A list that cannot be
 * read is refused whole, with FILE:LINE:COLUMN: columns count characters of the UTF-8 text, or
 * bytes in the -0 form and where the bytes are not UTF-8.
 */
import { assertListItem } from './already-covered.js';
import { firstInvalidUtf8, jsonErrorOffset, lineColumn, listElementOffsets } from './list-positions.js';
import { MalformedEscapeError, unescapePath } from '#backup/domain/paths/path-escape.js';
import { decodeUtf8, encodeUtf8 } from '#backup/domain/paths/utf8.js';

/** Which of what-to-backup's outputs the list was. */
export type CoveredListFormat = 'json' | 'nul' | 'text';

/** A list that cannot be read; the message says FILE:LINE:COLUMN and why. */
export class CoveredListError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'CoveredListError';

  constructor(
    /** The file, as the message names it. */
    readonly file: string,
    /** 1-based line of the problem. */
    readonly line: number,
    /** 1-based column of the problem. */
    readonly column: number,
    /** What is wrong there. */
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
  }
}

/** A covered list as read. */
export interface CoveredList {
  /** Which form the list was in. */
  readonly format: CoveredListFormat;
  /** List items as byte strings, folders ending in `/`. */
  readonly items: readonly string[];
}

/** Throws a {@link CoveredListError} for the problem at `offset` of `text`. */
function refuse(file: string, text: string, offset: number, problem: string): never {
  const { line, column } = lineColumn(text, offset);
  throw new CoveredListError(file, line, column, problem);
}

/** The items of a list printed by what-to-backup, in any of its three forms; `file` names it in errors. */
export function parseCoveredList(bytes: string, file = 'list'): CoveredList {
  if (/^\s*\{/.test(bytes)) return { format: 'json', items: fromJson(bytes, file) };
  if (bytes.includes('\0')) {
    const items: string[] = [];
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf('\0', start);
      const item = bytes.slice(start, end === -1 ? undefined : end);
      if (!isListItem(item)) refuse(file, bytes, start, `not an absolute path: ${JSON.stringify(item)}`);
      items.push(item);
      start = end === -1 ? bytes.length : end + 1;
    }
    return { format: 'nul', items };
  }
  const text = utf8Text(bytes, file, 'a text list must be UTF-8 (use the -0 or --json form for other bytes)');
  const items: string[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    if (start + line.length === text.length && line === '') break; // after the last newline
    let item: string;
    try {
      item = unescapePath(line);
    } catch (error) {
      if (!(error instanceof MalformedEscapeError)) throw error;
      refuse(file, text, start + error.at, 'malformed escape (\\\\, \\n, \\t, \\r or \\xHH expected)');
    }
    if (!isListItem(item)) refuse(file, text, start, `not an absolute path: ${JSON.stringify(line)}`);
    items.push(item);
    start += line.length + 1;
  }
  return { format: 'text', items };
}

function isListItem(item: string): boolean {
  try {
    assertListItem(item);
    return true;
  } catch {
    return false;
  }
}

/** `bytes` decoded as UTF-8, or a refusal at the first byte that is not. */
function utf8Text(bytes: string, file: string, problem: string): string {
  const text = decodeUtf8(bytes);
  if (text === undefined) refuse(file, bytes, firstInvalidUtf8(bytes), problem);
  return text;
}

function fromJson(bytes: string, file: string): string[] {
  const text = utf8Text(bytes, file, 'JSON must be UTF-8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    refuse(file, text, jsonErrorOffset(text), `not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$|, ".*$/s, '')}`);
  }
  const doc = parsed as { format?: unknown; list?: unknown };
  if (doc.format !== 'what-to-backup-summary' || !Array.isArray(doc.list)) {
    refuse(file, text, 0, 'JSON that is not what-to-backup --json output (no "format": "what-to-backup-summary" with a "list")');
  }
  const offsets = listElementOffsets(text);
  return doc.list.map((item: unknown, index) => {
    const at = (problem: string) => refuse(file, text, offsets[index] ?? 0, `entry ${index + 1}: ${problem}`);
    if (typeof item !== 'object' || item === null) return at('not an object');
    const entry = item as { path?: unknown; pathBase64?: unknown; folder?: unknown };
    let path: string | undefined;
    if (typeof entry.pathBase64 === 'string') {
      try {
        path = atob(entry.pathBase64);
      } catch {
        return at('pathBase64 is not base64');
      }
    } else if (typeof entry.path === 'string') path = encodeUtf8(entry.path);
    if (path === undefined) return at('no path');
    const listed = entry.folder === true && path !== '/' ? `${path}/` : path;
    return isListItem(listed) ? listed : at(`not an absolute path: ${JSON.stringify(listed)}`);
  });
}
