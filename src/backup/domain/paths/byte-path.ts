/**
 * Absolute byte-string paths (see entry.ts): `/` is the root, `/a/b` has components `a`, `b`.
 * Comparisons are by whole components, never by characters, so `/a/b` is not inside `/a/bc`.
 * @module
 */

/** Throws unless `path` is absolute, has no empty component and no trailing slash (except `/`). */
export function assertAbsolutePath(path: string): void {
  if (path === '/') return;
  if (!path.startsWith('/') || path.endsWith('/') || path.includes('//') || path.includes('\0')) {
    throw new TypeError(`not an absolute path without trailing slash: ${JSON.stringify(path)}`);
  }
}

/** The components of `path`: `/` → `[]`, `/a/b` → `['a', 'b']`. */
export function pathComponents(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/** The path made of `components` (the inverse of {@link pathComponents}). */
export function joinComponents(components: readonly string[]): string {
  return `/${components.join('/')}`;
}

/** The directory holding `path`; undefined for the root. */
export function parentPath(path: string): string | undefined {
  if (path === '/') return undefined;
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** The last component of `path`; `/` for the root. */
export function baseName(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

/** `child` below `dir` (`/` joins without doubling the slash). */
export function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** True when `path` is `ancestor` or lies below it, by components. */
export function isSameOrBelow(path: string, ancestor: string): boolean {
  if (ancestor === '/') return path.startsWith('/');
  // Without building `${ancestor}/`: this runs for every entry of a walk.
  if (path.length <= ancestor.length) return path === ancestor;
  return path.charCodeAt(ancestor.length) === 47 && path.startsWith(ancestor);
}

/** A root as given (`/etc/app/`, `//etc/./app`) spelt as a path: `/etc/app`. */
export function normalizeRoot(root: string): string {
  const parts = root.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}
