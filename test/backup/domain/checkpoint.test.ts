import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childPath } from '#backup/domain/paths/byte-path.js';
import { directoriesLeft } from '#backup/domain/summary/checkpoint.js';

describe('directoriesLeft', () => {
  it('is empty when the walk stays in the same directory or goes deeper', () => {
    expect(directoriesLeft('/a/b', '/a/b')).toEqual([]);
    expect(directoriesLeft('/a/b', '/a/b/c/d')).toEqual([]);
    expect(directoriesLeft('/', '/a')).toEqual([]);
  });

  it('leaves the directories below the common prefix, deepest first', () => {
    expect(directoriesLeft('/a/b/c', '/a/x')).toEqual(['/a/b/c', '/a/b']);
    expect(directoriesLeft('/a/b/c', '/')).toEqual(['/a/b/c', '/a/b', '/a']);
    expect(directoriesLeft('/a/b', '/a')).toEqual(['/a/b']);
  });

  it('compares whole components, not characters', () => {
    expect(directoriesLeft('/a/b', '/a/bc')).toEqual(['/a/b']);
    expect(directoriesLeft('/a/bc', '/a/b')).toEqual(['/a/bc']);
  });

  it('leaves every directory up to the root when the walk is over', () => {
    expect(directoriesLeft('/a/b', undefined)).toEqual(['/a/b', '/a', '/']);
    expect(directoriesLeft('/', undefined)).toEqual(['/']);
  });

  it('finalises every directory exactly once, after all its descendants, in any depth-first walk', () => {
    type Dir = { readonly name: string; readonly children: readonly Dir[] };
    const names = fc.constantFrom('a', 'b', 'ab', 'b\n', 'c d', '\xff');
    const dirAt = (depth: number): fc.Arbitrary<Dir> =>
      fc.record({
        name: names,
        children: depth === 0 ? fc.constant([]) : fc.uniqueArray(dirAt(depth - 1), { maxLength: 3, selector: (d) => d.name }),
      });
    const dirs = dirAt(4);
    fc.assert(
      fc.property(dirs, (root) => {
        // The walk visits directories in pre-order; every visited path is a directory.
        const visits: { path: string; parent: string | undefined }[] = [];
        const visit = (dir: Dir, path: string, parent: string | undefined) => {
          visits.push({ path, parent });
          for (const child of dir.children) visit(child, childPath(path, child.name), path);
        };
        visit(root, '/', undefined);

        const finalised: string[] = [];
        let current: string | undefined;
        for (const { path } of visits) {
          if (current !== undefined) finalised.push(...directoriesLeft(current, path));
          current = path;
        }
        finalised.push(...directoriesLeft(current!, undefined));

        const allPaths = visits.map((v) => v.path);
        expect([...finalised].sort()).toEqual([...allPaths].sort());
        for (const { path, parent } of visits) {
          if (parent !== undefined) expect(finalised.indexOf(path)).toBeLessThan(finalised.indexOf(parent));
        }
      }),
    );
  });
});
