import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthFirstEntries, expandFlatList, treeArbitrary } from '#sim/backup/backup-trees.js';
import { CoveredListError, parseCoveredList } from '#backup/domain/already-covered/already-covered-list.js';
import { folderOf, isFolderItem, remainingAfterCovered } from '#backup/domain/already-covered/already-covered.js';
import { renderNulList, renderTextList, flatList } from '#backup/report/list/flat-list.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';

describe('what root still has to back up', () => {
  const rootList = ['/etc/fstab', '/home/alice/', '/home/bob', '/home/bob/notes', '/home/bob/work/', '/opt/tool/', '/srv/'];

  it('drops what a covered folder holds and single entries listed by both', () => {
    expect(remainingAfterCovered(rootList, ['/home/alice/', '/home/bob/notes', '/home/bob/work/'])).toEqual(['/etc/fstab', '/home/bob', '/opt/tool/', '/srv/']);
    expect(remainingAfterCovered(rootList, ['/home/'])).toEqual(['/etc/fstab', '/opt/tool/', '/srv/']);
    expect(remainingAfterCovered(rootList, ['/'])).toEqual([]);
  });

  it('keeps a folder only partly covered, or whose directory alone is covered', () => {
    expect(remainingAfterCovered(rootList, ['/srv/a/', '/opt/tool'])).toEqual(rootList);
  });

  it('does not confuse a name with a longer one beside it', () => {
    expect(remainingAfterCovered(['/home/al', '/home/al2/'], ['/home/al/'])).toEqual(['/home/al2/']);
  });

  it('leaves everything when nothing is covered', () => {
    expect(remainingAfterCovered(rootList, [])).toEqual(rootList);
  });

  // Expanding a list over a tree's entries: covered ∪ remaining ⊇ what root saves; and no remaining
  // item is already covered (a folder item counts as covered only when a covered folder holds it).
  it('never loses anything to back up and never keeps what is covered (random trees, random user lists)', () => {
    fc.assert(
      fc.property(treeArbitrary(), fc.infiniteStream(fc.integer({ min: 0, max: 3 })), (tree, picks) => {
        const entries = depthFirstEntries(tree);
        const summary = new BackupSummary();
        entries.forEach((e) => summary.add(e));
        const list = flatList(summary.close().root);
        const paths = entries.map((e) => e.path);
        const choice = picks[Symbol.iterator]();
        const covered = paths.flatMap((path) => {
          const pick = choice.next().value as number;
          return pick === 0 ? [path === '/' ? '/' : `${path}/`] : pick === 1 ? [path] : [];
        });
        const remaining = remainingAfterCovered(list, covered);
        const coveredExpanded = expandFlatList(covered, paths);
        const remainingExpanded = expandFlatList(remaining, paths);
        for (const path of expandFlatList(list, paths)) expect(coveredExpanded.has(path) || remainingExpanded.has(path)).toBe(true);
        const coveredFolders = covered.filter(isFolderItem).map(folderOf);
        for (const item of remaining) {
          expect(list).toContain(item);
          if (isFolderItem(item)) expect(expandFlatList(coveredFolders.map((f) => (f === '/' ? '/' : `${f}/`)), paths).has(folderOf(item))).toBe(false);
          else expect(coveredExpanded.has(item)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('reading the covered list', () => {
  const items = ['/home/alice/', '/home/alice/odd\nname', '/srv/caf\xc3\xa9', '/srv/\xff', '/'];

  it('reads the text form, unescaping names', () => {
    expect(parseCoveredList(encodeUtf8(renderTextList(items)))).toEqual({ format: 'text', items });
    expect(parseCoveredList('')).toEqual({ format: 'text', items: [] });
  });

  it('reads the NUL form as exact bytes', () => {
    expect(parseCoveredList(renderNulList(items))).toEqual({ format: 'nul', items });
  });

  it('reads the JSON form, preferring the exact bytes', () => {
    const json = JSON.stringify({
      format: 'what-to-backup-summary',
      version: 1,
      list: [
        { path: '/home/alice', folder: true },
        { path: '/srv/café', folder: false },
        { path: '/srv/\\xff', pathBase64: btoa('/srv/\xff'), folder: false },
        { path: '/', folder: true },
      ],
    });
    expect(parseCoveredList(encodeUtf8(`  ${json}`))).toEqual({ format: 'json', items: ['/home/alice/', '/srv/caf\xc3\xa9', '/srv/\xff', '/'] });
  });

  it.each([
    ['{"list": []}', 'my-list:1:1: JSON that is not what-to-backup --json output'],
    ['{ nope', 'my-list:1:3: not valid JSON: Expected property name'],
    ['{"a":\n tru}', 'my-list:2:5: not valid JSON: Unexpected token'],
    ['{"format":"what-to-backup-summary","list":[{"pathBase64":"*!"}]}', 'my-list:1:44: entry 1: pathBase64 is not base64'],
    ['{"format":"what-to-backup-summary",\n "list": [\n  {"path":"/ok"},\n  {"folder":true}\n]}', 'my-list:4:3: entry 2: no path'],
    ['{"format":"what-to-backup-summary","list":[{"path":"rel"}]}', 'my-list:1:44: entry 1: not an absolute path'],
    ['{"format":"what-to-backup-summary","list":[7],"list":[{"path":"/ok"}, "x"]}', 'my-list:1:71: entry 2: not an object'],
    ['{"list":[],\n"format":"what-to-backup-summary","list":[1\xff]}', 'my-list:2:44: JSON must be UTF-8'],
    ['/ok\nrelative\n', 'my-list:2:1: not an absolute path: "relative"'],
    ['/ok\n/a\\q\n', 'my-list:2:3: malformed escape'],
    ['/caf\xc3\xa9\n/\xc3\xa9\\q\n', 'my-list:2:3: malformed escape'], // columns count characters
    ['/ok\n/\xc3\xa9\xff\n', 'my-list:2:4: a text list must be UTF-8'], // or bytes, where there are none
    ['/a\0b\0', 'my-list:1:4: not an absolute path: "b"'],
    ['/a\0/b\n\0rel\0', 'my-list:2:2: not an absolute path: "rel"'],
    ['/a//b\n', 'my-list:1:1: not an absolute path'],
  ])('refuses %j with FILE:LINE:COLUMN', (bytes, words) => {
    expect(() => parseCoveredList(bytes, 'my-list')).toThrow(CoveredListError);
    expect(() => parseCoveredList(bytes, 'my-list')).toThrow(words);
  });
});
