import { describe, expect, it } from 'vitest';
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { shorten, treeReport } from '#backup/report/tree/tree-report.js';

const e = (path: string, kind: EntryKind, c: EntryClass, size = 0n, extra: Partial<ScannedEntry> = {}): ScannedEntry => ({
  path,
  kind,
  class: c,
  size,
  ...extra,
});

function sampleSystem() {
  const s = new BackupSummary();
  s.add(e('/', 'directory', 'unmodified'));
  s.add(e('/etc', 'directory', 'unmodified'));
  s.add(e('/etc/passwd', 'file', 'modified', 2300n, { reason: 'S.5....T.' }));
  s.add(e('/etc/hosts', 'file', 'unmodified', 200n));
  s.add(e('/etc/fstab', 'file', 'unmodified', 600n));
  s.add(e('/etc/my.conf', 'file', 'new', 40n));
  s.add(e('/home', 'directory', 'unmodified'));
  s.add(e('/home/alice', 'directory', 'new'));
  for (let i = 0; i < 12; i += 1) s.add(e(`/home/alice/document-with-a-rather-long-name-${i}.odt`, 'file', 'new', 1234567n));
  s.add(e('/home/bob\nevil', 'directory', 'new'));
  s.add(e('/mnt', 'directory', 'not-scanned', 0n, { reason: 'mount point' }));
  s.add(e('/root', 'directory', 'unreadable', 0n, { reason: 'EACCES' }));
  s.add(e('/srv', 'directory', 'new'));
  s.add(e('/usr', 'directory', 'unmodified'));
  s.add(e('/usr/bin', 'directory', 'unmodified'));
  s.add(e('/usr/bin/ls', 'file', 'unmodified', 140000n));
  s.add(e('/usr/lib', 'directory', 'unmodified'));
  s.add(e('/usr/lib/libc.so', 'file', 'unmodified', 2000000n));
  return s.close();
}

describe('tree report', () => {
  it('shows totals, the largest saves, the collapsed tree with sizes, counts and folded names, and what it reports', () => {
    expect(treeReport(sampleSystem())).toBe(
      [
        'save 14M of 16M (87%): 16 new, 1 modified, 10 unmodified, 1 unreadable, 1 not scanned; 2 reported below',
        'largest to save:',
        '       14M  /home/',
        '        2K  /etc/passwd',
        '  40 bytes  /etc/my.conf',
        'tree:',
        '/  save 14M/16M=87%  18 files, 10 dirs',
        '  home/  save 14M (all)  12 files, 2 dirs: alice, bob\\nevil',
        '  etc/  save 2K/3K=74%  4 files, 0 dirs',
        '    passwd  save 2K  modified (S.5....T.)',
        '    my.conf  save 40 bytes  new',
        '    (unmodified)  800 bytes in 2 entries: fstab, hosts',
        '  mnt/  not scanned (mount point)',
        '  root/  unreadable (EACCES)',
        '  srv/  (empty)  new',
        '  usr/  unmodified 2M (none)  2 files, 2 dirs: bin, lib',
        'reported:',
        '  not scanned  /mnt  mount point',
        '  unreadable  /root  EACCES',
        '',
      ].join('\n'),
    );
  });

  it('stops at the depth asked for and says how much it did not show', () => {
    const report = treeReport(sampleSystem(), { maxDepth: 0, largest: 0 });
    expect(report).not.toContain('largest to save');
    expect(report).toContain('/  save 14M/16M=87%  18 files, 10 dirs\n  ... 28 entries below, not shown\n');
  });

  it('shortens long folded names and long name lists', () => {
    const s = new BackupSummary();
    s.add(e('/', 'directory', 'unmodified'));
    s.add(e('/f', 'file', 'unmodified'));
    s.add(e('/d', 'directory', 'new'));
    for (const name of ['a-very-long-file-name-indeed-yes-it-is-long', 'b', 'c', 'd']) s.add(e(`/d/${name}`, 'file', 'new', 1n));
    const report = treeReport(s.close(), { names: 2, nameWidth: 12 });
    expect(report).toContain('d/  save 4 bytes (all)  4 files, 0 dirs: a-ver...long, b, +2 more');
  });

  it('marks a save directory that did not fold, a hard link counted before, and excluded entries', () => {
    const s = new BackupSummary();
    s.add(e('/', 'directory', 'unmodified'));
    s.add(e('/opt', 'directory', 'new'));
    s.add(e('/opt/a', 'file', 'new', 10n, { identity: { dev: 1n, ino: 5n }, links: 2 }));
    s.add(e('/opt/b', 'file', 'new', 10n, { identity: { dev: 1n, ino: 5n }, links: 2 }));
    s.add(e('/opt/cache', 'directory', 'excluded'));
    const report = treeReport(s.close());
    expect(report).toContain('opt/  save 10 bytes/10 bytes=100%  2 files, 1 dir  itself new');
    expect(report).toContain('b  save 10 bytes  new, hard link counted before');
    expect(report).toContain('cache/  excluded\n');
    expect(report).toContain('reported:\n  excluded  /opt/cache\n');
  });

  it('says so when nothing was scanned', () => {
    expect(treeReport(new BackupSummary().close())).toBe('save 0 bytes of 0 bytes (0%): nothing scanned\n');
  });

  it('shows a folder with one file and one dir in the singular', () => {
    const s = new BackupSummary();
    s.add(e('/', 'directory', 'new'));
    s.add(e('/d', 'directory', 'new'));
    s.add(e('/d/f', 'file', 'new', 1n));
    expect(treeReport(s.close())).toContain('/  save 1 bytes (all)  1 file, 1 dir: d');
  });
});

describe('shorten', () => {
  it('keeps short text and cuts long text in the middle', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('abcdefghijklmnop', 9)).toBe('abc...nop');
    expect(shorten('ééééééééééé', 5)).toBe('é...é');
    expect(shorten('abcdefgh', 2)).toBe('a...h');
  });
});
