import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandAroundSkips, type ListedChild } from '#backup/report/list/expand-around-skips.js';

/** A tiny file system: paths of directories end in `/`. */
function lister(paths: readonly string[]): (dir: string) => ListedChild[] | undefined {
  return (dir) => {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const children = new Map<string, boolean>();
    for (const p of paths) {
      if (!p.startsWith(prefix) || p === prefix) continue;
      const rest = p.slice(prefix.length);
      const name = rest.split('/')[0]!;
      children.set(name, (children.get(name) ?? false) || rest.includes('/'));
    }
    if (children.size === 0 && !paths.includes(prefix)) return undefined;
    return [...children].map(([name, directory]) => ({ name, directory }));
  };
}

describe('expandAroundSkips', () => {
  const tree = ['/p/', '/p/a.py', '/p/pkg/', '/p/pkg/m.py', '/p/pkg/__pycache__/', '/p/pkg/__pycache__/m.pyc', '/p/docs/', '/p/docs/x', '/q/', '/q/r'];

  it('lists what a folder holds around what a rule skipped, and leaves other folders whole', () => {
    const { list, bare } = expandAroundSkips(['/p/', '/q/'], ['/p/pkg/__pycache__'], lister(tree));
    expect(list).toEqual(['/p', '/p/a.py', '/p/docs/', '/p/pkg', '/p/pkg/m.py', '/q/']);
    expect([...bare].sort()).toEqual(['/p', '/p/pkg']);
  });

  it('changes nothing when no skipped path lies inside a listed folder', () => {
    expect(expandAroundSkips(['/p/a.py', '/q/'], ['/p/pkg/__pycache__'], lister(tree)).list).toEqual(['/p/a.py', '/q/']);
  });

  it('expands the root folder', () => {
    expect(expandAroundSkips(['/'], ['/q'], lister(tree)).list).toEqual(['/p/']);
  });

  it('keeps a folder whole when it cannot be listed any more (it vanished): nothing is lost', () => {
    expect(expandAroundSkips(['/gone/'], ['/gone/c'], () => undefined).list).toEqual(['/gone/']);
  });

  it('over random trees: the expanded list covers exactly the files outside the skipped paths', () => {
    const names = fc.constantFrom('a', 'b', 'a.b', 'a-b', '\xff', 'c d');
    const paths = fc.uniqueArray(fc.array(names, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`), { maxLength: 30 });
    fc.assert(
      fc.property(paths, fc.integer({ min: 0, max: 1000 }), (files, pick) => {
        // Every prefix of a file is a directory; a file never also holds children.
        const fileSet = new Set(files.filter((f) => !files.some((g) => g.startsWith(`${f}/`))));
        const dirs = new Set<string>();
        for (const f of fileSet) for (let i = f.indexOf('/', 1); i > 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
        const all = [...[...dirs].map((d) => `${d}/`), ...fileSet];
        const candidates = [...dirs, ...fileSet];
        const skipped = candidates.length === 0 ? [] : [candidates[pick % candidates.length]!];
        const below = (p: string, d: string) => d === '/' || p === d || p.startsWith(`${d}/`);
        const { list } = expandAroundSkips(['/'], skipped, lister(all));
        const covered = (f: string) => list.some((l) => (l.endsWith('/') ? below(f, l.slice(0, -1) || '/') : l === f));
        for (const f of fileSet) expect(covered(f)).toBe(!skipped.some((s) => below(f, s)));
        for (const d of dirs) if (!skipped.some((s) => below(d, s))) expect(covered(d) || list.includes(d)).toBe(true);
        for (const s of skipped) expect(covered(s)).toBe(false); // a bare folder line is its own entry only
        expect(list).toEqual([...list].sort()); // byte order, as every list is
      }),
      { numRuns: 300 },
    );
  });
});
