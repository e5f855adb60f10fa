import { describe, expect, it } from 'vitest';
import { fencedBlocks, outputMatches, shownCommands } from './markdown-blocks.js';

describe('reading the blocks a document shows', () => {
  it('finds fenced blocks with their language, tags and line', () => {
    const md = 'intro\n```ts\nconst a = 1;\n```\ntext\n~~~console bus\n$ echo hi\nhi\n~~~\n';
    expect(fencedBlocks(md)).toEqual([
      { lang: 'ts', tags: [], text: 'const a = 1;', line: 2 },
      { lang: 'console', tags: ['bus'], text: '$ echo hi\nhi', line: 6 },
    ]);
  });

  it('splits a console block into commands and their shown output', () => {
    expect(shownCommands('$ echo a \\\n  b\na b\n$ true\n')).toEqual([
      { command: 'echo a \\\n  b', output: 'a b' },
      { command: 'true', output: '' },
    ]);
    expect(() => shownCommands('stray output\n$ true')).toThrow(/output before any command/);
  });

  it('matches shown output with elisions, and only with them', () => {
    expect(outputMatches('a\nb', 'a\nb\n')).toBe(true);
    expect(outputMatches('a\nb', 'a\nc')).toBe(false);
    expect(outputMatches('a\n...\nz', 'a\nb\nc\nz')).toBe(true);
    expect(outputMatches('a\n...\nz', 'a\nz')).toBe(true);
    expect(outputMatches('saved in [...] (ok)', 'saved in /tmp/x1 (ok)')).toBe(true);
    expect(outputMatches('saved in [...] (ok)', 'saved in /tmp/x1 (failed)')).toBe(false);
    expect(outputMatches('1.5', '1x5')).toBe(false);
  });
});
