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

  it('leaves paths without symlinks unchanged', () => {
    const name = fc.stringMatching(/^[a-z\x80-\xff ]{1,5}$/).filter((n) => n.trim() === n && n !== '');
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 6 }), (parts) => {
        expect(links({}).resolve(`/${parts.join('/')}`)).toBe(`/${parts.join('/')}`);
      }),
    );
  });
});
