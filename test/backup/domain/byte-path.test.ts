import { describe, expect, it } from 'vitest';
import {
  assertAbsolutePath,
  baseName,
  childPath,
  isSameOrBelow,
  joinComponents,
  parentPath,
  pathComponents,
} from '#backup/domain/paths/byte-path.js';

describe('byte paths', () => {
  it('accepts absolute paths and refuses the rest', () => {
    for (const ok of ['/', '/a', '/a/b', '/a\n/\xff']) expect(() => assertAbsolutePath(ok)).not.toThrow();
    for (const bad of ['', 'a', '/a/', '//a', '/a//b', '/a\0b']) expect(() => assertAbsolutePath(bad)).toThrow(TypeError);
  });

  it('splits and joins components', () => {
    expect(pathComponents('/')).toEqual([]);
    expect(pathComponents('/a/b')).toEqual(['a', 'b']);
    expect(joinComponents([])).toBe('/');
    expect(joinComponents(['a', 'b'])).toBe('/a/b');
  });

  it('finds parents, names and children', () => {
    expect(parentPath('/')).toBeUndefined();
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/a/b')).toBe('/a');
    expect(baseName('/')).toBe('/');
    expect(baseName('/a/b')).toBe('b');
    expect(childPath('/', 'a')).toBe('/a');
    expect(childPath('/a', 'b')).toBe('/a/b');
  });

  it('tells what lies below what, by components', () => {
    expect(isSameOrBelow('/a/b', '/a')).toBe(true);
    expect(isSameOrBelow('/a', '/a')).toBe(true);
    expect(isSameOrBelow('/ab', '/a')).toBe(false);
    expect(isSameOrBelow('/a', '/')).toBe(true);
  });
});
