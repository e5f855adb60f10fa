import { describe, expect, it } from 'vitest';
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import type { BackupSummaryOptions } from '#backup/domain/summary/backup-summary.js';
import { flatList } from '#backup/report/list/flat-list.js';
import { InspectableSummary } from '#test/backup/domain/support/inspectable-summary.js';

function entry(path: string, kind: EntryKind, entryClass: EntryClass, size = 0n, extra: Partial<ScannedEntry> = {}): ScannedEntry {
  return { path, kind, class: entryClass, size, ...extra };
}
const dir = (path: string, c: EntryClass, extra: Partial<ScannedEntry> = {}) => entry(path, 'directory', c, 4096n, extra);
const file = (path: string, c: EntryClass, size = 10n, extra: Partial<ScannedEntry> = {}) => entry(path, 'file', c, size, extra);

function summarise(entries: ScannedEntry[], options?: BackupSummaryOptions) {
  const summary = new InspectableSummary(options);
  for (const e of entries) summary.add(e);
  return summary.close();
}

describe('BackupSummary folding', () => {
  it('folds a folder whose entries are all new into one folder entry', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/home', 'new'),
      file('/home/a', 'new', 100n),
      file('/home/b', 'new', 200n),
      file('/etc', 'unmodified', 5n),
    ]);
    expect(flatList(result.root)).toEqual(['/home/']);
    expect(result.totals.saveSize).toBe(300n);
    expect(result.totals.unmodifiedSize).toBe(5n);
  });

  it('folds recursively: a folder of folders that are all save is one folder', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/srv', 'new'),
      dir('/srv/a', 'new'),
      file('/srv/a/x', 'new'),
      dir('/srv/b', 'modified', { reason: '.M.......' }),
      dir('/srv/b/c', 'new'),
      file('/srv/b/c/y', 'modified', 10n, { reason: 'S.5....T.' }),
      file('/usr', 'unmodified'),
    ]);
    expect(flatList(result.root)).toEqual(['/srv/']);
  });

  it('lists the whole root when everything is saved', () => {
    const result = summarise([dir('/', 'new'), file('/a', 'new'), dir('/b', 'new'), file('/b/c', 'modified')]);
    expect(flatList(result.root)).toEqual(['/']);
  });

  it('folds a package-owned, intact directory that holds only new files (its contents are what a restore needs)', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/usr', 'unmodified'),
      file('/usr/bin', 'unmodified'),
      dir('/usr/local', 'unmodified'),
      file('/usr/local/tool', 'new'),
      dir('/usr/local/share', 'new'),
      file('/usr/local/share/data', 'new'),
    ]);
    expect(flatList(result.root)).toEqual(['/usr/local/']);
  });

  it('treats intact directories as holding no data: they never keep a folder of new files from folding', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      file('/etc', 'unmodified'),
      dir('/usr', 'unmodified'),
      dir('/usr/local', 'unmodified'),
      dir('/usr/local/games', 'unmodified'),
      dir('/usr/local/share', 'unmodified'),
      dir('/usr/local/share/man', 'unmodified'),
      file('/usr/local/share/man/tool.1', 'new'),
    ]);
    expect(flatList(result.root)).toEqual(['/usr/']);
  });

  it('does not save a folder that holds only intact directories', () => {
    const result = summarise([dir('/', 'unmodified'), dir('/a', 'unmodified'), dir('/a/b', 'unmodified'), file('/f', 'unmodified'), file('/n', 'new')]);
    expect(flatList(result.root)).toEqual(['/n']);
    const a = result.root?.shape === 'mixed' ? result.root.children.find((c) => c.name === 'a') : undefined;
    expect(a?.shape).toBe('unmodified-folder');
  });

  it('keeps an empty, intact root as an empty unmodified folder', () => {
    const result = summarise([dir('/', 'unmodified')]);
    expect(result.root?.shape).toBe('unmodified-folder');
    expect(result.totals.counts.unmodified).toBe(1);
    expect(flatList(result.root)).toEqual([]);
  });

  it('keeps an empty directory owned by no package, and drops an empty unmodified one while counting it', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/empty-new', 'new'),
      dir('/empty-owned', 'unmodified'),
      file('/f', 'unmodified'),
    ]);
    expect(flatList(result.root)).toEqual(['/empty-new/']);
    expect(result.totals.counts.unmodified).toBe(3);
    expect(result.root?.shape).toBe('mixed');
    if (result.root?.shape === 'mixed') {
      expect(result.root.children.map((c) => c.name)).toEqual(['empty-new']);
      expect(result.root.unmodified.sample).toEqual({ names: ['empty-owned', 'f'], total: 2 });
    }
  });

  it('keeps an empty directory whose metadata changed (modified) as a folder to save', () => {
    expect(flatList(summarise([dir('/', 'unmodified'), dir('/d', 'modified'), file('/f', 'unmodified')]).root)).toEqual(['/d/']);
  });

  it('folds an all-unmodified subtree into one unmodified folder and lists nothing from it', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/usr', 'unmodified'),
      dir('/usr/lib', 'unmodified'),
      file('/usr/lib/libc', 'unmodified', 1000n),
      file('/usr/bin', 'unmodified', 24n),
      file('/new', 'new'),
    ]);
    expect(flatList(result.root)).toEqual(['/new']);
    const root = result.root!;
    expect(root.shape).toBe('mixed');
    if (root.shape !== 'mixed') return;
    const usr = root.children.find((c) => c.name === 'usr')!;
    expect(usr.shape).toBe('unmodified-folder');
    expect(usr.totals.unmodifiedSize).toBe(1024n);
    if (usr.shape === 'unmodified-folder') expect(usr.contents).toEqual({ names: ['bin', 'lib'], total: 2 });
  });

  it('lists save entries of a mixed directory one by one, never the unmodified ones', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/etc', 'unmodified'),
      file('/etc/passwd', 'modified', 10n, { reason: 'S.5....T.' }),
      file('/etc/hosts', 'unmodified'),
      file('/etc/local.conf', 'new'),
      entry('/etc/link', 'symlink', 'new', 7n),
    ]);
    expect(flatList(result.root)).toEqual(['/etc/link', '/etc/local.conf', '/etc/passwd']);
  });

  it('lists a save directory that cannot fold bare: its own entry, not its contents', () => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/opt', 'new'),
      file('/opt/owned', 'unmodified'),
      file('/opt/mine', 'new'),
    ]);
    expect(flatList(result.root)).toEqual(['/opt', '/opt/mine']);
  });

  it.each<EntryClass>(['excluded', 'unreadable', 'not-scanned'])('never folds past an %s entry, and reports it', (blocker) => {
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/home', 'new'),
      file('/home/a', 'new'),
      dir('/home/b', blocker, { reason: 'because' }),
      dir('/x', 'new'),
      dir('/x/y', 'new'),
      file('/x/y/z', blocker),
    ]);
    expect(flatList(result.root)).toEqual(['/home', '/home/a', '/x', '/x/y']);
    expect(result.reported.map((e) => [e.path, e.class])).toEqual([
      ['/home/b', blocker],
      ['/x/y/z', blocker],
    ]);
    expect(result.totals.counts[blocker]).toBe(2);
  });

  it('keeps what was read of an unreadable directory and reports it', () => {
    const result = summarise([dir('/', 'unmodified'), dir('/d', 'unreadable', { reason: 'EACCES' }), file('/d/seen', 'new')]);
    expect(flatList(result.root)).toEqual(['/d/seen']);
    expect(result.root?.shape === 'mixed' && result.root.children[0]?.shape).toBe('mixed');
  });

  it('never folds a directory it was not told about (an ancestor of a scan root)', () => {
    const result = summarise([dir('/home', 'new'), file('/home/a', 'new'), dir('/srv', 'new')]);
    expect(flatList(result.root)).toEqual(['/home/', '/srv/']);
    expect(result.root?.class).toBeUndefined();
  });

  it('gives an empty result when nothing was added', () => {
    const result = new InspectableSummary().close();
    expect(result.root).toBeUndefined();
    expect(flatList(result.root)).toEqual([]);
    expect(result.totals.saveSize).toBe(0n);
  });
});

describe('BackupSummary hard links', () => {
  const link = (path: string, c: EntryClass, ino: bigint, links = 2) => file(path, c, 1000n, { identity: { dev: 1n, ino }, links });

  it('counts a file with several names once (device + inode), as du does, and still lists every name', () => {
    const result = summarise([dir('/', 'unmodified'), link('/a', 'new', 7n), link('/b', 'new', 7n), link('/c', 'new', 8n)]);
    expect(result.totals.saveSize).toBe(2000n);
    expect(flatList(result.root)).toEqual(['/']);
  });

  it('tells identities apart by device as well as inode', () => {
    const result = summarise([dir('/', 'unmodified'), link('/a', 'new', 7n), file('/b', 'new', 1000n, { identity: { dev: 2n, ino: 7n }, links: 2 })]);
    expect(result.totals.saveSize).toBe(2000n);
  });

  it('charges the bytes to the first name the walk reaches, whatever its class', () => {
    const result = summarise([dir('/', 'unmodified'), link('/a', 'unmodified', 7n), link('/b', 'new', 7n)]);
    expect(result.totals.saveSize).toBe(0n);
    expect(result.totals.unmodifiedSize).toBe(1000n);
    const b = result.root?.shape === 'mixed' ? result.root.children.find((c) => c.name === 'b') : undefined;
    expect(b?.shape === 'entry' && [b.size, b.repeatedLink]).toEqual([1000n, true]);
  });

  it('counts files with a single link every time, even if the identity repeats', () => {
    const result = summarise([dir('/', 'unmodified'), link('/a', 'new', 7n, 1), link('/b', 'new', 7n, 1)]);
    expect(result.totals.saveSize).toBe(2000n);
  });
});

describe('BackupSummary streaming and completion', () => {
  it('finalises each directory once, deepest first, as the depth-first walk leaves it', () => {
    const completed: string[] = [];
    const summary = new InspectableSummary({ onDirectoryComplete: (path) => completed.push(path) });
    summary.add(dir('/', 'unmodified'));
    summary.add(dir('/a', 'new'));
    summary.add(dir('/a/b', 'new'));
    summary.add(file('/a/b/f', 'new'));
    expect(completed).toEqual([]);
    summary.add(dir('/c', 'new'));
    expect(completed).toEqual(['/a/b', '/a']);
    summary.close();
    expect(completed).toEqual(['/a/b', '/a', '/c', '/']);
  });

  it('accepts an explicit completion in depth-first mode and does not finalise twice', () => {
    const completed: string[] = [];
    const summary = new InspectableSummary({ onDirectoryComplete: (path) => completed.push(path) });
    summary.add(dir('/', 'unmodified'));
    summary.add(dir('/a', 'new'));
    summary.add(file('/a/f', 'new'));
    summary.directoryComplete('/a');
    summary.add(file('/g', 'new'));
    expect(flatList(summary.close().root)).toEqual(['/']);
    expect(completed).toEqual(['/a', '/']);
  });

  it('takes children before their directory in explicit mode and finalises open descendants first', () => {
    const completed: string[] = [];
    const summary = new InspectableSummary({ completion: 'explicit', onDirectoryComplete: (path) => completed.push(path) });
    summary.add(file('/a/b/f', 'new'));
    summary.add(dir('/a/b', 'new'));
    summary.add(dir('/a', 'new'));
    summary.add(dir('/', 'unmodified'));
    summary.add(file('/z', 'unmodified'));
    summary.directoryComplete('/a');
    expect(completed).toEqual(['/a/b', '/a']);
    expect(flatList(summary.close().root)).toEqual(['/a/']);
  });

  it('refuses an entry inside a directory already complete', () => {
    const summary = new InspectableSummary();
    summary.add(dir('/', 'unmodified'));
    summary.add(dir('/a', 'new'));
    summary.add(dir('/b', 'new'));
    expect(() => summary.add(file('/a/late', 'new'))).toThrow(/after it was complete/);
  });

  it('refuses an entry inside a directory that vanished as empty and unmodified', () => {
    const summary = new InspectableSummary({ completion: 'explicit' });
    summary.add(dir('/', 'unmodified'));
    summary.add(dir('/a', 'unmodified'));
    summary.directoryComplete('/a');
    expect(() => summary.add(file('/a/late', 'new'))).toThrow(/after it was complete/);
  });

  it('refuses a path reported twice', () => {
    const summary = new InspectableSummary({ completion: 'explicit' });
    summary.add(dir('/', 'unmodified'));
    summary.add(file('/f', 'new'));
    expect(() => summary.add(file('/f', 'new'))).toThrow(/twice/);
    summary.add(dir('/d', 'new'));
    expect(() => summary.add(dir('/d', 'new'))).toThrow(/twice/);
    expect(() => summary.add(dir('/f', 'new'))).toThrow(/twice/);
    expect(() => summary.add(dir('/', 'new'))).toThrow(/twice/);
  });

  it('refuses a name reported twice when names come out of byte order, as a parallel walker gives them', () => {
    const summary = new InspectableSummary({ completion: 'explicit' });
    summary.add(dir('/', 'unmodified'));
    summary.add(file('/m', 'new'));
    summary.add(file('/c', 'new')); // below the greatest name so far: every name is looked up from now on
    summary.add(dir('/a', 'new'));
    summary.add(file('/z', 'modified', 1n, { reason: 'S.5....T' }));
    for (const again of ['/m', '/c', '/z']) expect(() => summary.add(file(again, 'new'))).toThrow(/twice/);
    expect(() => summary.add(dir('/a', 'new'))).toThrow(/twice/);
    expect(() => summary.add(file('/c', 'unmodified'))).toThrow(/twice/);
    summary.add(file('/b', 'new'));
    expect(flatList(summary.close().root)).toEqual(['/']);
  });

  it('sums the sizes of saved files exactly past 2^32 and 2^53, and lists them one by one in a folder that does not fold', () => {
    const big = 2n ** 60n + 1n;
    const result = summarise([
      dir('/', 'unmodified'),
      dir('/d', 'new'),
      file('/d/a', 'new', 2n ** 32n),
      file('/d/b', 'new', big),
      file('/d/c', 'modified', 4294967295n, { reason: 'S.5....T' }),
      file('/d/e', 'unmodified', 7n),
      file('/d/f', 'new', 3n),
    ]);
    const d = result.root?.shape === 'mixed' ? result.root.children[0] : undefined;
    expect(d?.totals.saveSize).toBe(2n ** 32n + big + 4294967295n + 3n);
    expect(d?.totals.counts).toMatchObject({ new: 4, modified: 1, unmodified: 1 });
    expect(d?.shape === 'mixed' ? d.children.map((c) => [c.name, c.shape === 'entry' ? c.size : undefined, c.totals.saveSize]) : d).toEqual([
      ['a', 2n ** 32n, 2n ** 32n],
      ['b', big, big],
      ['c', 4294967295n, 4294967295n],
      ['f', 3n, 3n],
    ]);
    expect(flatList(result.root)).toEqual(['/d', '/d/a', '/d/b', '/d/c', '/d/f']);
  });

  it('refuses a bad path and a path reported twice inside the folder the walk is in, as anywhere else', () => {
    const summary = new InspectableSummary();
    summary.add(dir('/', 'unmodified'));
    summary.add(dir('/d', 'new'));
    summary.add(file('/d/f', 'new'));
    expect(() => summary.add(file('/d/f', 'new'))).toThrow(/twice/);
    expect(() => summary.add(file('/d/', 'new'))).toThrow(TypeError);
    expect(() => summary.add(file('/d//g', 'new'))).toThrow(TypeError);
    expect(() => summary.add(file('/d/g\0h', 'new'))).toThrow(TypeError);
    expect(() => summary.add(file('/dx', 'new'))).not.toThrow(); // beside /d, not inside it
    const root = summary.close().root;
    expect(root?.shape === 'save-folder' ? root.contents.names : root).toEqual(['d', 'dx']);
  });

  it('refuses bad completions, bad paths and use after close', () => {
    const summary = new InspectableSummary();
    summary.add(dir('/', 'unmodified'));
    expect(() => summary.directoryComplete('/')).toThrow(/close/);
    expect(() => summary.directoryComplete('/nowhere')).toThrow(/not open/);
    expect(() => summary.add(file('relative', 'new'))).toThrow(TypeError);
    expect(() => summary.add(file('/', 'new'))).toThrow(/root must be a directory/);
    summary.close();
    expect(() => summary.add(file('/x', 'new'))).toThrow(/closed/);
    expect(() => summary.close()).toThrow(/closed/);
    expect(() => summary.directoryComplete('/x')).toThrow(/closed/);
  });

  it('keeps one node for a folder of many save files once it is finalised', () => {
    const summary = new InspectableSummary();
    summary.add(dir('/', 'unmodified'));
    summary.add(dir('/big', 'new'));
    for (let i = 0; i < 1000; i += 1) summary.add(file(`/big/f${i}`, 'new'));
    expect(summary.retainedNodeCount()).toBe(1002); // the open root, the open folder, its files
    summary.add(file('/other', 'unmodified'));
    expect(summary.retainedNodeCount()).toBe(2); // the open root and the folded folder
  });

  it('keeps no per-file node for unmodified files, even in a mixed directory', () => {
    const summary = new InspectableSummary();
    summary.add(dir('/', 'unmodified'));
    for (let i = 0; i < 1000; i += 1) summary.add(file(`/f${i}`, 'unmodified'));
    summary.add(file('/mine', 'new'));
    expect(summary.retainedNodeCount()).toBe(2);
    const root = summary.close().root!;
    expect(root.shape === 'mixed' && root.unmodified.sample).toEqual({ names: ['f0', 'f1', 'f10', 'f100', 'f101'], total: 1000 });
  });
});
