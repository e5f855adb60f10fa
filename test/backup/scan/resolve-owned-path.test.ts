import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';

const links = (table: Record<string, string>) => {
  const asked: string[] = [];
  const resolve = createPathResolver((path) => {
    asked.push(path);
    return table[path];
  });
  return { resolve, asked };
};

/** The resolution spelled out, component by component from the top, as rpm's fingerprints do it. */
function reference(table: Record<string, string>, path: string): string {
  const split = (p: string) => p.split('/').filter((x) => x !== '' && x !== '.');
  const parts = split(path);
  const name = parts.pop();
  if (name === undefined) return '/';
  const done: string[] = [];
  const todo = parts.reverse();
  let followed = 0;
  while (todo.length) {
    const part = todo.pop()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const target = table[`/${[...done, part].join('/')}`];
    if (target === undefined) {
      done.push(part);
      continue;
    }
    if (++followed > 40) return `/${split(path).join('/')}`;
    if (target.startsWith('/')) done.length = 0;
    todo.push(...split(target).reverse());
  }
  return `/${[...done, name].join('/')}`;
}

describe('createPathResolver, as rpm -qf finds files', () => {
  it('finds /lib/x at /usr/lib/x when /lib links to usr/lib', () => {
    const { resolve } = links({ '/lib': 'usr/lib', '/bin': '/usr/bin' });
    expect(resolve('/lib/x')).toBe('/usr/lib/x');
    expect(resolve('/lib/sub/y')).toBe('/usr/lib/sub/y');
    expect(resolve('/bin/sh')).toBe('/usr/bin/sh');
  });

  it('never follows the last component: a symlink is an entry of its own', () => {
    const { resolve } = links({ '/lib': 'usr/lib' });
    expect(resolve('/lib')).toBe('/lib');
    expect(resolve('/')).toBe('/');
  });

  it('resolves .. and chains of links, staying inside the root', () => {
    const { resolve } = links({ '/a': 'b/../c', '/c': '../../d', '/d/e': '/f' });
    expect(resolve('/a/e/g')).toBe('/f/g');
    expect(resolve('/x/./y/../z')).toBe('/x/z');
  });

  it('gives up on a loop and keeps the path as the database names it', () => {
    const { resolve } = links({ '/loop': '/loop' });
    expect(resolve('/loop/x')).toBe('/loop/x');
  });

  it('asks about each directory once', () => {
    const { resolve, asked } = links({ '/lib': 'usr/lib' });
    resolve('/lib/a');
    resolve('/lib/b');
    expect(asked.filter((p) => p === '/lib')).toHaveLength(1);
  });

  it('asks about each directory of a deep tree once, however many folders share it', () => {
    const { resolve, asked } = links({ '/lib': 'usr/lib' });
    expect(resolve('/lib/a/b/c/x')).toBe('/usr/lib/a/b/c/x');
    expect(resolve('/lib/a/b/d/y')).toBe('/usr/lib/a/b/d/y');
    expect(resolve('/lib/a/z')).toBe('/usr/lib/a/z');
    expect(asked.length).toBe(new Set(asked).size);
    expect(asked.filter((p) => p === '/usr/lib/a/b')).toHaveLength(1);
  });

  it('counts the links of every folder of a path: 40 are followed, a 41st gives up', () => {
    // Each `s` component is a link back to /t: a path of n of them follows n links.
    const table = { '/s': '/t', '/t/s': '/t' };
    const deep = (n: number) => `/${Array.from({ length: n }, () => 's').join('/')}/x`;
    expect(links(table).resolve(deep(40))).toBe('/t/x');
    expect(links(table).resolve(deep(41))).toBe(deep(41));
    const shared = links(table).resolve; // the same, with the shorter folders remembered first
    expect(shared(deep(40))).toBe('/t/x');
    expect(shared(deep(41))).toBe(deep(41));
    expect(shared(`${deep(41).slice(0, -2)}/y/z`)).toBe(`${deep(41).slice(0, -2)}/y/z`);
  });

  it('resolves as the component-by-component reference does, whatever was asked before', () => {
    const part = fc.constantFrom('a', 'b', 'c', '..');
    const path = fc.array(part, { minLength: 1, maxLength: 5 });
    const table = fc.dictionary(
      path.map((p) => `/${p.filter((x) => x !== '..').join('/')}`).filter((p) => p !== '/'),
      fc.tuple(fc.boolean(), path).map(([absolute, p]) => `${absolute ? '/' : ''}${p.join('/')}`),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(table, fc.array(path.map((p) => `/${p.join('/')}`), { maxLength: 8 }), (t, asked) => {
        const { resolve } = links(t);
        for (const p of asked) expect(resolve(p)).toBe(reference(t, p));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves paths without symlinks unchanged', () => {
    const name = fc.stringMatching(/^[a-z\x80-\xff ]{1,5}$/).filter((n) => n.trim() === n && n !== '');
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 6 }), (parts) => {
        expect(links({}).resolve(`/${parts.join('/')}`)).toBe(`/${parts.join('/')}`);
      }),
    );
  });
});
