import { describe, expect, it } from 'vitest';
import { excludeMatcher } from '#backup/domain/exclude/exclude-patterns.js';

describe('--exclude-from patterns where gitignore and rules globs differ', () => {
  const check = (patterns: string, path: string, dir = false) => excludeMatcher(patterns)(path, dir);

  it('reads a backslash escape as the literal character, not as a \\xHH byte', () => {
    expect(check('\\x41', '/x41')).toBe(true);
    expect(check('\\x41', '/A')).toBe(false);
  });

  it('keeps ~ literal instead of standing for home directories', () => {
    expect(check('~', '/home/me/~')).toBe(true);
    expect(check('~', '/root')).toBe(false);
  });

  it('ignores a pattern it cannot parse, and keeps the others', () => {
    expect(check('[!]\n*.log', '/a')).toBe(false);
    expect(check('[!]\n*.log', '/a.log')).toBe(true);
  });

  it('matches pattern bytes exactly, UTF-8 or not', () => {
    expect(check('/caf\xc3\xa9', '/caf\xc3\xa9')).toBe(true);
    expect(check('/caf\xc3\xa9', '/caf\xe9')).toBe(false);
    expect(check('[\xe9]', '/\xe9')).toBe(true);
  });
});
