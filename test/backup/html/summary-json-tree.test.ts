import { describe, expect, it } from 'vitest';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { spaceTreeFromJson } from '#backup/report/html/summary-json-tree.js';
import { summaryJson as jsonOf, type SummaryJson } from '#backup/report/json/json-report.js';

/** The JSON exactly as `--json` prints it and a reader parses it back. */
function summaryJson(add: (summary: BackupSummary) => void): SummaryJson {
  const summary = new BackupSummary();
  add(summary);
  return JSON.parse(JSON.stringify(jsonOf(summary.close()))) as SummaryJson;
}

const json = summaryJson((s) => {
  s.add({ path: '/', kind: 'directory', class: 'unmodified', size: 4096n });
  s.add({ path: '/caf\xc3\xa9', kind: 'file', class: 'new', size: 2n ** 60n });
  s.add({ path: '/etc', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/etc/fstab', kind: 'file', class: 'modified', size: 700n, reason: 'S.5....T.' });
  s.add({ path: '/etc/hosts', kind: 'file', class: 'unmodified', size: 300n });
  s.add({ path: '/etc/motd', kind: 'file', class: 'unmodified', size: 20n });
  s.add({ path: '/home', kind: 'directory', class: 'new', size: 0n });
  s.add({ path: '/home/\xff', kind: 'file', class: 'modified', size: 1n });
  s.add({ path: '/srv', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/srv/a', kind: 'file', class: 'new', size: 5n });
  s.add({ path: '/usr', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/usr/x', kind: 'file', class: 'unmodified', size: 9n });
  s.add({ path: '/old\xe9', kind: 'file', class: 'new', size: 2n });
  s.add({ path: '/lost', kind: 'file', class: 'unreadable', size: 0n, reason: 'EACCES' });
});

describe('the report tree from the summary JSON', () => {
  const tree = spaceTreeFromJson(json);
  const child = (name: string) => tree.children!.find((c) => c.name === name)!;

  it('keeps totals, as exact decimal strings, and counts', () => {
    expect(tree).toMatchObject({ name: '/', path: '/', class: 'mixed', saveSize: String(2n ** 60n + 708n), unmodifiedSize: '329' });
    expect(tree.counts).toMatchObject({ new: 4, modified: 2, unreadable: 1 });
  });

  it('turns names back into exact bytes, from text or from base64', () => {
    expect(child('caf\xc3\xa9')).toMatchObject({ path: '/caf\xc3\xa9', class: 'new' });
    expect(child('old\xe9')).toMatchObject({ path: '/old\xe9', saveSize: '2' });
    expect(child('home')).toMatchObject({ path: '/home', contents: '\\xff' });
  });

  it('colours folded folders by what they save, and keeps reasons', () => {
    expect(child('srv')).toMatchObject({ class: 'new', contents: 'a' });
    expect(child('home')).toMatchObject({ class: 'new' });
    expect(child('usr')).toMatchObject({ class: 'unmodified' });
    expect(child('lost')).toMatchObject({ class: 'unreadable', reason: 'EACCES' });
    const etc = child('etc');
    expect(etc.children!.find((c) => c.name === 'fstab')).toMatchObject({ class: 'modified', reason: 'S.5....T.', saveSize: '700' });
  });

  it('gives the unmodified files summarised beside a mixed folder\'s children one tile', () => {
    const etc = child('etc');
    expect(etc.children!.find((c) => c.name === '2 unmodified')).toMatchObject({
      saveSize: 0,
      unmodifiedSize: '320',
      class: 'unmodified',
      contents: 'hosts, motd',
    });
  });

  it('carries a rule note when the JSON has one', () => {
    const noted = { ...json, tree: { ...json.tree!, note: 'whole system' } } as SummaryJson;
    expect(spaceTreeFromJson(noted).note).toBe('whole system');
  });

  it('is an empty root when nothing was scanned', () => {
    expect(spaceTreeFromJson({ ...json, tree: null })).toMatchObject({ path: '/', saveSize: 0, children: [] });
  });
});

describe('the report tree of folders saved whole', () => {
  const folded = spaceTreeFromJson(
    summaryJson((s) => {
      s.add({ path: '/', kind: 'directory', class: 'unmodified', size: 0n });
      s.add({ path: '/etc', kind: 'directory', class: 'modified', size: 0n });
      for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) s.add({ path: `/etc/${name}`, kind: 'file', class: 'modified', size: 1n });
      s.add({ path: '/new', kind: 'directory', class: 'new', size: 0n });
      s.add({ path: '/x', kind: 'file', class: 'unreadable', size: 0n, reason: 'EACCES' }); // keeps / from folding
    }),
  );
  const child = (name: string) => folded.children!.find((c) => c.name === name)!;

  it('colours a folder by what most of it is, and says how many names it does not show', () => {
    expect(child('etc')).toMatchObject({ class: 'modified', saveSize: '7', contents: 'a, b, c, d, e and 2 more' });
  });

  it('gives an empty folder to save no contents line', () => {
    expect(child('new')).toMatchObject({ class: 'new', saveSize: '0' });
    expect(child('new')).not.toHaveProperty('contents');
  });
});
