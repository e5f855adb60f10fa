/**
 * Where a path a package database names really is, with symlinked directories resolved inside the
 * scanned root the way rpm's file fingerprints do: `/lib/x` is found at `/usr/lib/x` when `/lib` is
 * a symlink to `usr/lib`. The last component is never followed (a symlink is itself an entry).
 */

/** The target of `path` when it is a symlink; undefined when it is not one or does not exist. */
export type LinkProbe = (path: string) => string | undefined;

const MAX_LINKS = 40;

/** Absolute, no empty, `.` or `..` component, no trailing slash: the form databases use. */
const CANONICAL = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

function split(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

function join(parts: readonly string[]): string {
  return `/${parts.join('/')}`;
}

/** Resolves directories through `probe`, remembering each answer; `/..` stays `/` as in a chroot. */
export function createPathResolver(probe: LinkProbe): (path: string) => string {
  const directories = new Map<string, string>();

  const resolveDirectory = (dir: string): string => {
    const known = directories.get(dir);
    if (known !== undefined) return known;
    const done: string[] = [];
    const todo = split(dir).reverse();
    let links = 0;
    while (todo.length) {
      const part = todo.pop()!;
      if (part === '..') {
        done.pop();
        continue;
      }
      const here = join([...done, part]);
      const target = probe(here);
      if (target === undefined) {
        done.push(part);
        continue;
      }
      if (++links > MAX_LINKS) return dir; // a loop: rpm could not resolve it either
      if (target.startsWith('/')) done.length = 0;
      todo.push(...split(target).reverse());
    }
    const resolved = join(done);
    directories.set(dir, resolved);
    return resolved;
  };

  return (path: string): string => {
    if (CANONICAL.test(path)) {
      // Most paths need no splitting: the folder is everything before the last slash.
      const slash = path.lastIndexOf('/');
      const dir = slash === 0 ? '/' : resolveDirectory(path.slice(0, slash));
      const name = path.slice(slash + 1);
      return dir === '/' ? `/${name}` : `${dir}/${name}`;
    }
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) return '/';
    const dir = resolveDirectory(join(parts));
    return dir === '/' ? `/${name}` : `${dir}/${name}`;
  };
}
