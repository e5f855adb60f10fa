import { describe, expect, it } from 'vitest';
import { excludeMatcher } from '#backup/domain/exclude/exclude-patterns.js';

describe('--exclude-from patterns (gitignore syntax)', () => {
  const check = (patterns: string, path: string, dir = false) => excludeMatcher(patterns)(path, dir);

  it('matches a bare name at any depth', () => {
    expect(check('*.tmp', '/home/me/x.tmp')).toBe(true);
    expect(check('*.tmp', '/x.tmp')).toBe(true);
    expect(check('*.tmp', '/home/me/x.tmpl')).toBe(false);
    expect(check('core', '/var/core')).toBe(true);
    expect(check('core', '/var/core.1')).toBe(false);
  });

  it('anchors a pattern with a slash to the top of the scanned system', () => {
    expect(check('/var/cache', '/var/cache')).toBe(true);
    expect(check('/var/cache', '/srv/var/cache')).toBe(false);
    expect(check('var/cache', '/var/cache')).toBe(true);
    expect(check('/home/*/.cache', '/home/me/.cache')).toBe(true);
    expect(check('/home/*/.cache', '/home/me/sub/.cache')).toBe(false);
  });

  it('applies a trailing slash to directories only', () => {
    expect(check('build/', '/src/build', true)).toBe(true);
    expect(check('build/', '/src/build', false)).toBe(false);
  });

  it('understands **, ?, character classes and escapes', () => {
    expect(check('**/node_modules', '/a/b/node_modules', true)).toBe(true);
    expect(check('/srv/**/*.log', '/srv/a/b/c.log')).toBe(true);
    expect(check('/srv/**/*.log', '/srv/c.log')).toBe(true);
    expect(check('/opt/**', '/opt/x/y')).toBe(true);
    expect(check('/a/b**', '/a/bcd')).toBe(true);
    expect(check('file?.txt', '/file1.txt')).toBe(true);
    expect(check('file?.txt', '/file12.txt')).toBe(false);
    expect(check('[ab].c', '/a.c')).toBe(true);
    expect(check('[!ab].c', '/a.c')).toBe(false);
    expect(check('[!ab].c', '/z.c')).toBe(true);
    expect(check('[oops', '/[oops')).toBe(true);
    expect(check('\\*star', '/*star')).toBe(true);
    expect(check('\\*star', '/xstar')).toBe(false);
    expect(check('a+b(c)', '/a+b(c)')).toBe(true);
  });

  it('lets a later ! pattern bring a path back, and ignores comments and blank lines', () => {
    const patterns = '# caches\n\n*.log\n!keep.log\n\\#literal\n\\!bang\n/trailing   \n';
    expect(check(patterns, '/var/a.log')).toBe(true);
    expect(check(patterns, '/var/keep.log')).toBe(false);
    expect(check(patterns, '/#literal')).toBe(true);
    expect(check(patterns, '/!bang')).toBe(true);
    expect(check(patterns, '/trailing')).toBe(true);
    expect(check(patterns, '/# caches')).toBe(false);
  });

  it('matches names with newlines and bytes that are not UTF-8', () => {
    expect(check('*.tmp', '/a\nb.tmp')).toBe(true);
    expect(check('/caf\xe9/', '/caf\xe9', true)).toBe(true);
    expect(check('/\r\n', '/x')).toBe(false);
  });
});
