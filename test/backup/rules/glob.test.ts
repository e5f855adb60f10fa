import { describe, expect, it } from 'vitest';
import { compileGlob, GlobError, globMatches } from '#backup/domain/rules/glob.js';

const matches = (pattern: string, path: string, directory = false) => globMatches(compileGlob(pattern), path, directory);

describe('rule patterns', () => {
  it('match an absolute path exactly, and with a trailing slash only directories', () => {
    expect(matches('/var/cache', '/var/cache')).toBe(true);
    expect(matches('/var/cache', '/var/cache/x')).toBe(false);
    expect(matches('/var/cache/', '/var/cache', true)).toBe(true);
    expect(matches('/var/cache/', '/var/cache', false)).toBe(false);
    expect(matches('/', '/', true)).toBe(true);
  });

  it('match * and ? within one name, never across a slash', () => {
    expect(matches('/home/*/notes', '/home/alice/notes')).toBe(true);
    expect(matches('/home/*/notes', '/home/a/b/notes')).toBe(false);
    expect(matches('/tmp/?.log', '/tmp/a.log')).toBe(true);
    expect(matches('/tmp/?.log', '/tmp/ab.log')).toBe(false);
  });

  it('match ** as any number of directories', () => {
    expect(matches('/srv/**', '/srv/a')).toBe(true);
    expect(matches('/srv/**', '/srv/a/b/c')).toBe(true);
    expect(matches('/srv/**', '/srv')).toBe(false);
    expect(matches('/srv/**/x.db', '/srv/x.db')).toBe(true);
    expect(matches('/srv/**/x.db', '/srv/a/b/x.db')).toBe(true);
    expect(matches('/**/x.db', '/x.db')).toBe(true);
  });

  it('match a bare name in any directory', () => {
    expect(matches('*.sqlite', '/home/alice/places.sqlite')).toBe(true);
    expect(matches('*.sqlite', '/places.sqlite')).toBe(true);
    expect(matches('*.sqlite', '/home/alice/places.sqlite-wal')).toBe(false);
  });

  it('match ~ as every home directory, or the ones given', () => {
    expect(matches('~/.cache/', '/home/bob/.cache', true)).toBe(true);
    expect(matches('~/.cache/', '/root/.cache', true)).toBe(true);
    expect(matches('~/.cache/', '/srv/bob/.cache', true)).toBe(false);
    expect(matches('~', '/home/bob', true)).toBe(true);
    const custom = compileGlob('~/.cache/', ['/srv/users/*']);
    expect(globMatches(custom, '/srv/users/bob/.cache', true)).toBe(true);
    expect(globMatches(custom, '/home/bob/.cache', true)).toBe(false);
  });

  it('match sets of bytes, negated sets never matching a slash', () => {
    expect(matches('/log/[a-c]x', '/log/bx')).toBe(true);
    expect(matches('/log/[a-c]x', '/log/dx')).toBe(false);
    expect(matches('/log/[!a-c]x', '/log/dx')).toBe(true);
    expect(matches('/log/[!a-c]x', '/log/ax')).toBe(false);
    expect(matches('/log/[-a]x', '/log/-x')).toBe(true);
    expect(matches('/log/[\\x41]', '/log/A')).toBe(true);
    expect(matches('/a*[!x]', '/a/b')).toBe(false);
  });

  it('match UTF-8 names, escaped specials and raw bytes exactly', () => {
    expect(matches('/café', '/caf\xc3\xa9')).toBe(true);
    expect(matches('/a\\*b', '/a*b')).toBe(true);
    expect(matches('/a\\*b', '/axb')).toBe(false);
    expect(matches('/\\xff\\xfe', '/\xff\xfe')).toBe(true);
    expect(matches('/x.y', '/xzy')).toBe(false);
    expect(matches('/a b', '/a b')).toBe(true);
  });

  it('know the first names a match can start with, so a rule set can skip most rules fast', () => {
    expect(compileGlob('/var/cache/').firstNames).toEqual(['var']);
    expect(compileGlob('/').firstNames).toEqual(['']);
    expect(compileGlob('/café/x').firstNames).toEqual(['caf\xc3\xa9']);
    expect(compileGlob('~/.cache/').firstNames).toEqual(['root', 'home']);
    expect(compileGlob('~/.cache/', ['/srv/*', '/*/homes']).firstNames).toBeUndefined();
    expect(compileGlob('*.sqlite').firstNames).toBeUndefined();
    expect(compileGlob('/v*/cache').firstNames).toBeUndefined();
    expect(compileGlob('/\\x76ar').firstNames).toBeUndefined();
  });

  it.each([
    ['', 0, 'empty pattern'],
    ['var/cache', 0, 'starts with /'],
    ['/a//b', 3, 'empty name'],
    ['/a/[bc', 3, 'unclosed ['],
    ['/a\\', 2, 'at the end'],
    ['/[é]', 2, 'only ASCII'],
    ['/[\\é]', 2, 'single bytes'],
    ['/[!]]', 2, 'empty [ ]'],
  ])('refuse %j with the place of the mistake', (pattern, offset, words) => {
    let error: unknown;
    try {
      compileGlob(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GlobError);
    expect((error as GlobError).offset).toBe(offset);
    expect((error as GlobError).message).toContain(words);
  });
});
