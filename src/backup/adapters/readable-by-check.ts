import { maySearch, missingOnEntry, type Need, type Reader } from '../domain/readable-by.js';
import { errorCode, type FileStat, type FileSystemPort } from '../domain/ports.js';

/** An entry to back up that the reader could not: where it is blocked and which permission lacks. */
export interface UnreadableEntry {
  readonly path: string;
  /** The entry itself, or the folder on the way that cannot be entered. */
  readonly blockedAt: string;
  readonly need: Need;
}

/** The folders a path is reached through, from `/` down to its parent. */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return [];
  return ['/', ...parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}

/**
 * Checks each entry of a flat list (a folder saved whole ends in `/`) as `reader` would meet it:
 * every folder on the way must be enterable, a file readable, a folder listable, and everything
 * inside a folder saved whole too. Entries that vanished since the scan are skipped.
 */
export function unreadableFor(reader: Reader, list: readonly string[], fs: FileSystemPort): UnreadableEntry[] {
  const found: UnreadableEntry[] = [];
  const searchable = new Map<string, boolean>();
  const stat = (path: string): FileStat | undefined => {
    try {
      return fs.lstat(path);
    } catch (error) {
      void errorCode(error); // gone or unreachable: the scan has reported it already
      return undefined;
    }
  };
  const canSearch = (dir: string): boolean => {
    let known = searchable.get(dir);
    if (known === undefined) {
      const s = stat(dir);
      known = s !== undefined && maySearch(reader, s);
      searchable.set(dir, known);
    }
    return known;
  };
  const visit = (path: string, whole: boolean): void => {
    const s = stat(path);
    if (!s) return;
    const need = missingOnEntry(reader, s);
    if (need) {
      found.push({ path, blockedAt: path, need });
      return;
    }
    if (!whole || s.type !== 'directory') return;
    let names: string[];
    try {
      names = fs.list(path).map((d) => d.name);
    } catch {
      return;
    }
    for (const name of names.sort()) visit(path === '/' ? `/${name}` : `${path}/${name}`, true);
  };
  for (const item of list) {
    const whole = item.endsWith('/');
    const path = whole && item !== '/' ? item.slice(0, -1) : item;
    const blocked = ancestors(path).find((dir) => !canSearch(dir));
    if (blocked !== undefined) found.push({ path, blockedAt: blocked, need: 'search' });
    else visit(path, whole);
  }
  return found;
}
