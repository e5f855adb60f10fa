/**
 * Reads the list given to `--already-covered`, in whichever form what-to-backup printed it; the
 * form is detected from the content:
 * - JSON (`--json`): starts with `{`; its `list` is used, exact bytes from `pathBase64`;
 * - NUL-separated (`-0`): holds a NUL byte; each path is exact bytes;
 * - text (the default): one escaped path a line (path-escape.ts), as UTF-8.
 * The input is the file's bytes as a byte string (one character per byte).
 */
import { assertListItem } from './already-covered.js';
import { parseTextList } from '#backup/report/list/flat-list.js';
import { decodeUtf8, encodeUtf8 } from '#backup/domain/paths/utf8.js';

/** Which of what-to-backup's outputs the list was. */
export type CoveredListFormat = 'json' | 'nul' | 'text';

/** A list that cannot be read; the message says where. */
export class CoveredListError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'CoveredListError';
}

/** A covered list as read. */
export interface CoveredList {
  /** Which form the list was in. */
  readonly format: CoveredListFormat;
  /** List items as byte strings, folders ending in `/`. */
  readonly items: readonly string[];
}

/** The items of a list printed by what-to-backup, in any of its three forms. */
export function parseCoveredList(bytes: string): CoveredList {
  if (/^\s*\{/.test(bytes)) return { format: 'json', items: checked(fromJson(bytes), 'entry') };
  if (bytes.includes('\0')) {
    const items = bytes.split('\0');
    if (items.at(-1) === '') items.pop();
    return { format: 'nul', items: checked(items, 'path') };
  }
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new CoveredListError('a text list must be UTF-8 (use the -0 or --json form for other bytes)');
  let items: string[];
  try {
    items = parseTextList(text);
  } catch (error) {
    throw new CoveredListError(`${(error as Error).message}`);
  }
  return { format: 'text', items: checked(items, 'line') };
}

function checked(items: string[], unit: string): string[] {
  items.forEach((item, index) => {
    try {
      assertListItem(item);
    } catch {
      throw new CoveredListError(`${unit} ${index + 1}: not an absolute path: ${JSON.stringify(item)}`);
    }
  });
  return items;
}

function fromJson(bytes: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeUtf8(bytes) ?? '');
  } catch (error) {
    throw new CoveredListError(`not valid JSON: ${(error as Error).message}`);
  }
  const doc = parsed as { format?: unknown; list?: unknown };
  if (doc.format !== 'what-to-backup-summary' || !Array.isArray(doc.list)) {
    throw new CoveredListError('JSON that is not what-to-backup --json output (no "format": "what-to-backup-summary" with a "list")');
  }
  return doc.list.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) throw new CoveredListError(`entry ${index + 1}: not an object`);
    const entry = item as { path?: unknown; pathBase64?: unknown; folder?: unknown };
    const path = typeof entry.pathBase64 === 'string' ? fromBase64(entry.pathBase64, index) : typeof entry.path === 'string' ? encodeUtf8(entry.path) : undefined;
    if (path === undefined) throw new CoveredListError(`entry ${index + 1}: no path`);
    return entry.folder === true && path !== '/' ? `${path}/` : path;
  });
}

function fromBase64(text: string, index: number): string {
  try {
    return atob(text);
  } catch {
    throw new CoveredListError(`entry ${index + 1}: pathBase64 is not base64`);
  }
}
