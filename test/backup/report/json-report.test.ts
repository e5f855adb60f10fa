import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesField, summaryJson } from '#backup/report/json/json-report.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';
import { depthFirstEntries, treeArbitrary } from '#sim/backup/backup-trees.js';
import { flatList } from '#backup/report/list/flat-list.js';

describe('JSON form', () => {
  function result() {
    const s = new BackupSummary();
    s.add({ path: '/', kind: 'directory', class: 'unmodified', size: 4096n });
    s.add({ path: '/caf\xc3\xa9', kind: 'file', class: 'new', size: 2n ** 60n });
    s.add({ path: '/etc', kind: 'directory', class: 'unmodified', size: 4096n });
    s.add({ path: '/etc/x', kind: 'file', class: 'unmodified', size: 3n });
    s.add({ path: '/home', kind: 'directory', class: 'new', size: 4096n });
    s.add({ path: '/home/\xff', kind: 'file', class: 'modified', size: 1n, reason: 'S.5....T.' });
    s.add({ path: '/lost', kind: 'file', class: 'unreadable', size: 0n, reason: 'EACCES' });
    return s.close();
  }

  it('is versioned, with totals as decimal strings and every listed path', () => {
    const json = summaryJson(result());
    expect(json.format).toBe('what-to-backup-summary');
    expect(json.version).toBe(1);
    expect(json.totals.saveSize).toBe((2n ** 60n + 1n).toString());
    expect(json.totals.counts).toEqual({ new: 2, modified: 1, unmodified: 3, excluded: 0, unreadable: 1, 'not-scanned': 0 });
    expect(json.list).toEqual([
      { path: '/café', folder: false },
      { path: '/home', folder: true },
    ]);
    expect(json.reported).toEqual([{ path: '/lost', kind: 'file', class: 'unreadable', reason: 'EACCES' }]);
  });

  it('gives every node its shape, class, reason and totals, and survives JSON.stringify', () => {
    const json = JSON.parse(JSON.stringify(summaryJson(result()))) as ReturnType<typeof summaryJson>;
    const tree = json.tree!;
    expect(tree).toMatchObject({ name: '/', path: '/', shape: 'mixed', class: 'unmodified', unmodified: { names: [], total: 0, size: '0' } });
    const byName = Object.fromEntries(tree.children!.map((c) => [c.name, c]));
    expect(byName['café']).toMatchObject({ shape: 'entry', kind: 'file', class: 'new', size: String(2n ** 60n), repeatedLink: false });
    expect(byName['etc']).toMatchObject({ shape: 'unmodified-folder', class: 'unmodified', contents: { names: ['x'], total: 1 } });
    expect(byName['home']).toMatchObject({ shape: 'save-folder', class: 'new', contents: { names: ['\\xff'], total: 1 } });
    expect(byName['home']!.totals.counts.modified).toBe(1);
    expect(byName['lost']).toMatchObject({ class: 'unreadable', reason: 'EACCES' });
  });

  it('keeps bytes that are not UTF-8 exact, in base64 beside the escaped text', () => {
    expect(bytesField('path', '/caf\xc3\xa9')).toEqual({ path: '/café' });
    expect(bytesField('path', '/\xff\n')).toEqual({ path: '/\\xff\\n', pathBase64: 'L/8K' });
    expect(atob('L/8K')).toBe('/\xff\n');
  });

  it('gives a null tree when nothing was scanned', () => {
    expect(summaryJson(new BackupSummary().close())).toMatchObject({ tree: null, list: [], reported: [] });
  });

  it('marks the root folder when everything is saved', () => {
    const s = new BackupSummary();
    s.add({ path: '/', kind: 'directory', class: 'new', size: 0n });
    expect(summaryJson(s.close()).list).toEqual([{ path: '/', folder: true }]);
  });

  it('gives back the exact bytes of every listed path, whatever its name', () => {
    fc.assert(
      fc.property(treeArbitrary(), (tree) => {
        const summary = new BackupSummary();
        for (const entry of depthFirstEntries(tree)) summary.add(entry);
        const result = summary.close();
        const json = JSON.parse(JSON.stringify(summaryJson(result))) as ReturnType<typeof summaryJson>;
        const bytes = json.list.map((p) => {
          const path = p.pathBase64 === undefined ? encodeUtf8(p.path) : atob(p.pathBase64);
          return p.folder && path !== '/' ? `${path}/` : path;
        });
        expect(bytes).toEqual(flatList(result.root));
      }),
    );
  });
});
