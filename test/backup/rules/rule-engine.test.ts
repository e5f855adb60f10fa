import { describe, expect, it } from 'vitest';
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { rulesFromPlugin } from '#backup/domain/rules/plugin.js';
import { RuleEngine } from '#backup/domain/rules/rule-engine.js';
import type { RuleTarget } from '#backup/domain/rules/rule.js';
import { parseRulesFile } from '#backup/domain/rules/rules-file.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { flatList } from '#backup/report/list/flat-list.js';
import { treeReport } from '#backup/report/tree/tree-report.js';
import { summaryJson } from '#backup/report/json/json-report.js';

const e = (path: string, kind: EntryKind, c: EntryClass, extra: Partial<ScannedEntry> = {}): ScannedEntry => ({
  path,
  kind,
  class: c,
  size: kind === 'directory' ? 0n : 100n,
  ...extra,
});

function run(rulesText: string, entries: ScannedEntry[], packageOf?: (path: string) => string | undefined) {
  const engine = new RuleEngine(parseRulesFile(rulesText, { file: 'r' }), packageOf ? { packageOf } : {});
  const applied = entries.map((entry) => engine.apply(entry));
  const summary = new BackupSummary();
  applied.forEach((entry) => summary.add(entry));
  return { engine, applied, result: summary.close() };
}

describe('the rule engine', () => {
  it('tells the walk not to enter what skip and dump rules match', () => {
    const engine = new RuleEngine(parseRulesFile('skip /a/\ndump /db/ tool=x\nsave /a/keep/', { file: 'r' }));
    expect(engine.excludes('/a', true)).toBe(true);
    expect(engine.excludes('/a', false)).toBe(false);
    expect(engine.excludes('/db', true)).toBe(true);
    expect(engine.excludes('/a/keep', true)).toBe(false);
    expect(engine.excludes('/other', true)).toBe(false);
  });

  it('finds the rules of each first name whatever it asked before: a name that starts like the last one, the name itself, then back', () => {
    const engine = new RuleEngine(parseRulesFile('skip /usr/x\nskip /usrx/y\nskip /usr\nskip *.tmp', { file: 'r' }));
    const asked = ['/usr/x', '/usr/a', '/usrx/y', '/usrx/x', '/usr', '/usr/x', '/us', '/usr/b.tmp', '/', '/usrx'];
    expect(asked.map((path) => engine.excludes(path, false))).toEqual([true, false, true, false, true, true, false, true, false, false]);
  });

  it('asks a rule that looks at classes again once the class is known', () => {
    const rules = rulesFromPlugin([{ name: 'intact-etc', action: 'skip', pattern: '/etc/*', match: (t: RuleTarget) => t.class === 'unmodified' }], 'p.js', { homes: [] });
    const engine = new RuleEngine([...parseRulesFile('save /etc/*', { file: 'r' }), ...rules]);
    expect(engine.excludes('/etc/a', false)).toBe(false); // no class yet: the plugin rule does not match
    expect(engine.apply(e('/etc/a', 'file', 'unmodified'))).toMatchObject({ class: 'excluded', rule: { rule: 'intact-etc' } });
    expect(engine.excludes('/etc/b', false)).toBe(false);
    expect(engine.apply(e('/etc/b', 'file', 'new'))).toMatchObject({ class: 'new', rule: { rule: 'r:1', action: 'save' } });
  });

  it('matches rules for any first name and for the entry\'s own first name, last one winning', () => {
    const engine = new RuleEngine(parseRulesFile('skip /var/x.db\nsave *.db\nskip /srv/**\nskip /', { file: 'r' }));
    expect(engine.match({ path: '/var/x.db', directory: false })?.action).toBe('save');
    expect(engine.match({ path: '/srv/x.db', directory: false })?.action).toBe('skip');
    expect(engine.match({ path: '/usr/x.db', directory: false })?.action).toBe('save');
    expect(engine.match({ path: '/', directory: true })?.action).toBe('skip');
    expect(engine.match({ path: '/usr/x', directory: false })).toBeUndefined();
  });

  it('lets the last matching rule win', () => {
    const { applied } = run('skip /x/\nsave /x/', [e('/', 'directory', 'unmodified'), e('/x', 'directory', 'new')]);
    expect(applied[1]!.class).toBe('new');
    expect(applied[1]!.rule?.action).toBe('save');
  });

  it('reports a skipped entry as excluded, naming the rule, and it blocks the fold as excluded entries do', () => {
    const { result } = run('skip /home/*/.cache/ name=caches # rebuilt', [
      e('/', 'directory', 'unmodified'),
      e('/home', 'directory', 'unmodified'),
      e('/home/al', 'directory', 'new'),
      e('/home/al/.cache', 'directory', 'excluded'),
      e('/home/al/notes', 'file', 'new'),
    ]);
    expect(flatList(result.root)).toEqual(['/home/al', '/home/al/notes']);
    expect(result.reported.map((r) => [r.path, r.class, r.rule?.rule, r.rule?.note])).toEqual([['/home/al/.cache', 'excluded', 'caches', 'rebuilt']]);
  });

  it('forces save of intact files and marks the folder once, which is then listed whole', () => {
    const { applied, result } = run('save /etc/ssh/ name=ssh', [
      e('/', 'directory', 'unmodified'),
      e('/etc', 'directory', 'unmodified'),
      e('/etc/hosts', 'file', 'unmodified'),
      e('/etc/ssh', 'directory', 'unmodified'),
      e('/etc/ssh/sshd_config', 'file', 'unmodified'),
      e('/etc/ssh/moduli', 'file', 'modified', { reason: 'S.5....T' }),
    ]);
    expect(applied[3]).toMatchObject({ class: 'modified', reason: 'forced by rule ssh', rule: { rule: 'ssh', action: 'save' } });
    expect(applied[4]).toMatchObject({ class: 'modified', reason: 'forced by rule ssh' });
    expect(applied[4]!.rule).toBeUndefined(); // the folder shows the rule
    expect(applied[5]!.rule).toBeUndefined();
    expect(flatList(result.root)).toEqual(['/etc/ssh/']);
    expect(summaryJson(result).list).toEqual([{ path: '/etc/ssh', folder: true, rule: expect.objectContaining({ rule: 'ssh', action: 'save' }) }]);
  });

  it('leaves reported entries alone under save, and lets a nearer rule win over an inherited one', () => {
    const { applied, result } = run('save /srv/\nskip /srv/tmp/', [
      e('/', 'directory', 'unmodified'),
      e('/srv', 'directory', 'new'),
      e('/srv/locked', 'file', 'unreadable', { reason: 'EACCES' }),
      e('/srv/tmp', 'directory', 'excluded'),
      e('/srv/tmp/x', 'file', 'new'), // as if the walk had entered it anyway
    ]);
    expect(applied[2]).toEqual(e('/srv/locked', 'file', 'unreadable', { reason: 'EACCES' }));
    expect(applied[3]).toMatchObject({ class: 'excluded', rule: { action: 'skip' } });
    expect(applied[4]).toMatchObject({ class: 'excluded' });
    expect(applied[4]!.rule).toBeUndefined();
    expect(treeReport(result)).toContain('to save as rules say:\n  /srv/  rule r:1: save\n');
  });

  it('keeps a folder with its own instructions apart from a folder saved whole around it', () => {
    const { result } = run('save ~/.mozilla/firefox/*/ name=browser when=logged-out # in use', [
      e('/', 'directory', 'unmodified'),
      e('/home', 'directory', 'unmodified'),
      e('/home/al', 'directory', 'new'),
      e('/home/al/.mozilla', 'directory', 'new'),
      e('/home/al/.mozilla/firefox', 'directory', 'new'),
      e('/home/al/.mozilla/firefox/p1', 'directory', 'new'),
      e('/home/al/.mozilla/firefox/p1/places.db', 'file', 'new'),
      e('/home/al/notes', 'file', 'new'),
    ]);
    expect(flatList(result.root)).toEqual(['/home/al', '/home/al/.mozilla', '/home/al/.mozilla/firefox', '/home/al/.mozilla/firefox/p1/', '/home/al/notes']);
    const report = treeReport(result);
    expect(report).toContain('p1/  save 100 bytes (all)  1 file, 0 dirs: places.db  [rule browser: save, when logged-out: in use]');
    expect(report).toContain('to save as rules say:\n  /home/al/.mozilla/firefox/p1/  rule browser: save, when logged-out: in use\n');
    const listed = summaryJson(result).list.find((l) => l.path === '/home/al/.mozilla/firefox/p1');
    expect(listed?.rule).toMatchObject({ rule: 'browser', when: 'logged-out', note: 'in use', source: 'r:1', pattern: '~/.mozilla/firefox/*/' });
  });

  it('marks changed config files for diff with the evidence, and saves other files as usual', () => {
    const { applied, result } = run(
      'diff /etc/**',
      [
        e('/', 'directory', 'unmodified'),
        e('/etc', 'directory', 'unmodified'),
        e('/etc/fstab', 'file', 'modified', { reason: 'S.5....T c' }),
        e('/etc/local.conf', 'file', 'new'),
        e('/etc/sub', 'directory', 'unmodified'),
        e('/etc/sub/x.conf', 'file', 'modified', { reason: '..5....T c' }),
      ],
      (path) => (path === '/etc/fstab' ? 'setup-2.14' : undefined),
    );
    expect(applied[2]!.rule).toMatchObject({ action: 'diff', evidence: 'S.5....T c setup-2.14' });
    expect(applied[3]!.rule).toBeUndefined();
    expect(applied[5]!.rule).toMatchObject({ action: 'diff', evidence: '..5....T c' });
    expect(flatList(result.root)).toEqual(['/etc/fstab', '/etc/local.conf', '/etc/sub/x.conf']);
    expect(treeReport(result)).toContain('fstab  save 100 bytes  modified (S.5....T c)  [rule r:1: diff [S.5....T c setup-2.14]]');
  });

  it('marks a diff without evidence when the scanner gave no reason', () => {
    const { applied } = run('diff /etc/x', [e('/', 'directory', 'unmodified'), e('/etc', 'directory', 'unmodified'), e('/etc/x', 'file', 'modified')]);
    expect(applied[2]!.rule).toEqual(expect.not.objectContaining({ evidence: expect.anything() }));
  });

  it('lists a dumped database as excluded with its tool, in the report and the JSON', () => {
    const { result } = run('dump /var/lib/pgsql/ name=postgresql tool=pg_dumpall when=shutdown', [
      e('/', 'directory', 'unmodified'),
      e('/var', 'directory', 'unmodified'),
      e('/var/lib', 'directory', 'unmodified'),
      e('/var/lib/pgsql', 'directory', 'excluded'),
    ]);
    expect(flatList(result.root)).toEqual([]);
    expect(treeReport(result)).not.toContain('to save as rules say');
    expect(treeReport(result)).toContain('excluded  /var/lib/pgsql  rule postgresql: dump with pg_dumpall, when shutdown');
    expect(summaryJson(result).reported[0]!.rule).toMatchObject({ action: 'dump', tool: 'pg_dumpall', when: 'shutdown' });
    expect(summaryJson(result).tree?.children?.[0]?.children?.[0]?.children?.[0]?.rule).toMatchObject({ action: 'dump' });
  });

  it('follows the walk back up: a sibling after a marked folder does not inherit its rule', () => {
    const { applied } = run('save /a/', [
      e('/', 'directory', 'unmodified'),
      e('/a', 'directory', 'unmodified'),
      e('/a/x', 'file', 'unmodified'),
      e('/b', 'directory', 'unmodified'),
      e('/b/y', 'file', 'unmodified'),
    ]);
    expect(applied[2]!.class).toBe('modified');
    expect(applied[4]!.class).toBe('unmodified');
  });
});
