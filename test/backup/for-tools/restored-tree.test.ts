import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreProblems, treePaths } from './restored-tree.js';

const top = mkdtempSync(join(tmpdir(), 'cave-restored-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = join(top, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the restore comparison the real-tool tests rely on', () => {
  const source = tree('source', { 'a/kept': 'k', 'a/left': 'l', 'w/x/y': 'y' });
  const list = ['/a/kept', '/w/'];

  it('accepts a faithful restore', () => {
    const copy = tree('good', { 'a/kept': 'k', 'w/x/y': 'y' });
    expect(restoreProblems(list, source, treePaths(source), copy)).toEqual([]);
  });

  it('names what is missing, changed, or restored without being listed', () => {
    const copy = tree('bad', { 'a/kept': 'K', 'a/left': 'l' });
    expect(restoreProblems(list, source, treePaths(source), copy)).toEqual([
      'content differs: "a/kept"',
      'missing: "w"',
      'missing: "w/x"',
      'missing: "w/x/y"',
      'not listed, restored: "a/left"',
    ]);
  });
});
