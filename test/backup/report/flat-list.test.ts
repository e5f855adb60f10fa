import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { folderPath, parseTextList, renderNulList, renderTextList, flatList } from '#backup/report/list/flat-list.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';

describe('flat list output', () => {
  it('sorts in byte order, as LC_ALL=C sort does', () => {
    const summary = new BackupSummary({ completion: 'explicit' });
    summary.add({ path: '/', kind: 'directory', class: 'unmodified', size: 0n });
    summary.add({ path: '/f', kind: 'file', class: 'unmodified', size: 0n });
    for (const path of ['/b', '/a-b', '/\xff', '/B', '/a']) summary.add({ path, kind: 'file', class: 'new', size: 1n });
    summary.add({ path: '/a-dir', kind: 'directory', class: 'new', size: 0n });
    expect(flatList(summary.close().root)).toEqual(['/B', '/a', '/a-b', '/a-dir/', '/b', '/\xff']);
  });

  it('marks folders with a trailing slash, the root as /', () => {
    expect(folderPath('/')).toBe('/');
    expect(folderPath('/home')).toBe('/home/');
  });

  it('prints one escaped path per line, so a newline in a name cannot inject a line', () => {
    const text = renderTextList(['/evil\n/etc/passwd', '/home/']);
    expect(text).toBe('/evil\\n/etc/passwd\n/home/\n');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('prints exact bytes, each followed by a NUL, in the NUL variant', () => {
    expect(renderNulList(['/a\nb', '/\xff/'])).toBe('/a\nb\0/\xff/\0');
    expect(renderNulList([])).toBe('');
  });

  it('reads back exactly what it printed', () => {
    const paths = fc.array(fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((b) => String.fromCharCode(b)), minLength: 1 }).map((s) => `/${s}`));
    fc.assert(fc.property(paths, (list) => {
      expect(parseTextList(renderTextList(list))).toEqual(list);
    }));
    expect(parseTextList('')).toEqual([]);
  });
});
