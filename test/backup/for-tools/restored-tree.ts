/**
 * Compares a tree a backup tool restored with the list what-to-backup printed: every listed entry
 * (and everything in a folder saved whole) is there with the same bytes, mode and link target,
 * and nothing else is, but the folders a restore creates above listed paths.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Byte-string relative paths (latin1) of everything below `dir`, folders included. */
export function treePaths(dir: string, below = ''): string[] {
  const found: string[] = [];
  const names = readdirSync(Buffer.from(dir + (below === '' ? '' : `/${below}`), 'latin1'), { encoding: 'buffer' });
  for (const nameBytes of names) {
    const path = below === '' ? nameBytes.toString('latin1') : `${below}/${nameBytes.toString('latin1')}`;
    found.push(path);
    if (lstatSync(Buffer.from(`${dir}/${path}`, 'latin1')).isDirectory()) found.push(...treePaths(dir, path));
  }
  return found;
}

const at = (root: string, path: string) => Buffer.from(`${root}/${path}`, 'latin1');

/** What differs between `path` under the source and under the copy, or undefined. */
function difference(source: string, copy: string, path: string): string | undefined {
  let copied;
  try {
    copied = lstatSync(at(copy, path));
  } catch {
    return `missing: ${JSON.stringify(path)}`;
  }
  const original = lstatSync(at(source, path));
  if ((original.mode & 0o177777) !== (copied.mode & 0o177777)) return `mode differs: ${JSON.stringify(path)}`;
  if (original.isFile() && !readFileSync(at(source, path)).equals(readFileSync(at(copy, path)))) return `content differs: ${JSON.stringify(path)}`;
  if (original.isSymbolicLink() && !readlinkSync(at(source, path), { encoding: 'buffer' }).equals(readlinkSync(at(copy, path), { encoding: 'buffer' }))) {
    return `link differs: ${JSON.stringify(path)}`;
  }
  return undefined;
}

/**
 * The problems of `copy` against `list` (absolute byte-string paths as printed with -0, folders
 * saved whole ending in `/`), the source being `source` as it was at the scan (`sourcePaths`).
 */
export function restoreProblems(list: readonly string[], source: string, sourcePaths: readonly string[], copy: string): string[] {
  const relative = list.map((path) => (path === '/' ? '' : path.slice(1)));
  const whole = relative.filter((path) => path.endsWith('/') || path === '');
  const single = new Set(relative.filter((path) => !path.endsWith('/') && path !== ''));
  const inWhole = (path: string) => whole.some((folder) => folder === '' || path.startsWith(folder) || `${path}/` === folder);
  const above = new Set<string>();
  for (const path of [...single, ...whole.map((folder) => folder.replace(/\/$/, ''))]) {
    const names = path.split('/');
    for (let n = 1; n < names.length; n += 1) above.add(names.slice(0, n).join('/'));
  }
  const expected = sourcePaths.filter((path) => single.has(path) || inWhole(path));
  const problems = expected.map((path) => difference(source, copy, path)).filter((p) => p !== undefined);
  for (const path of treePaths(copy)) {
    if (single.has(path) || inWhole(path)) continue;
    const isFolder = lstatSync(at(copy, path)).isDirectory();
    if (!isFolder || !above.has(path)) problems.push(`not listed, restored: ${JSON.stringify(path)}`);
  }
  return problems;
}
