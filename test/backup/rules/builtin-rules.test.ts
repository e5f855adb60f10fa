import { describe, expect, it } from 'vitest';
import { builtinRules } from '#backup/domain/rules/builtin-rules.js';
import type { Rule } from '#backup/domain/rules/rule.js';
import { RuleEngine } from '#backup/domain/rules/rule-engine.js';
import { selectRules, UnknownRuleNameError } from '#backup/domain/rules/rule-selection.js';
import { parseRulesFile } from '#backup/domain/rules/rules-file.js';

const winner = (rules: readonly Rule[], path: string, directory = true) => new RuleEngine(rules).match({ path, directory });

describe('the built-in rules', () => {
  const rules = builtinRules();

  it.each([
    ['/home/al/.cache', 'caches', 'skip'],
    ['/root/.cache', 'caches', 'skip'],
    ['/var/cache', 'caches', 'skip'],
    ['/tmp', 'tmp', 'skip'],
    ['/var/tmp', 'tmp', 'skip'],
    ['/var/cache/apt/archives', 'package-caches', 'skip'],
    ['/var/lib/apt/lists', 'package-caches', 'skip'],
    ['/var/cache/dnf', 'package-caches', 'skip'],
    ['/home/al/.npm/_cacache', 'package-caches', 'skip'],
    ['/var/lib/postgresql', 'postgresql', 'dump'],
    ['/var/lib/pgsql', 'postgresql', 'dump'],
    ['/var/lib/mysql', 'mysql', 'dump'],
    ['/var/lib/rpm', 'package-db', 'dump'],
    ['/usr/lib/sysimage/rpm', 'package-db', 'dump'],
    ['/var/lib/dpkg', 'package-db', 'dump'],
    ['/home/al/.mozilla/firefox/abc.default', 'browser-profiles', 'save'],
    ['/home/al/.config/chromium', 'browser-profiles', 'save'],
    ['/home/al/src/app/pkg/__pycache__', 'python-bytecode', 'skip'],
    ['/root/__pycache__', 'python-bytecode', 'skip'],
    ['/usr/local/lib/python3.11/dist-packages/x/__pycache__', 'python-bytecode', 'skip'],
    ['/srv/site/__pycache__', 'python-bytecode', 'skip'],
    ['/opt/tool/lib/__pycache__', 'python-bytecode', 'skip'],
    ['/home/al/app/node_modules/.cache', 'node-caches', 'skip'],
    ['/srv/web/node_modules/.cache', 'node-caches', 'skip'],
  ])('cover %s (%s: %s)', (path, name, action) => {
    expect(winner(rules, path)).toMatchObject({ name, action, source: 'builtin' });
  });

  it('dump SQLite files with sqlite3, and name the tool of every database', () => {
    expect(winner(rules, '/home/al/app/data.sqlite', false)).toMatchObject({ name: 'sqlite', tool: 'sqlite3 .backup' });
    expect(rules.filter((r) => r.action === 'dump').every((r) => r.tool !== undefined)).toBe(true);
    expect(winner(rules, '/home/al/.mozilla/firefox/p/places.sqlite', false)?.name).toBe('sqlite');
    expect(winner(rules, '/home/al/app/data.sqlite-wal', false)).toMatchObject({ name: 'sqlite', action: 'skip' });
    expect(winner(rules, '/home/al/app/data.sqlite3-shm', false)).toMatchObject({ name: 'sqlite', action: 'skip' });
  });

  it('say why in a note, and leave ordinary paths alone', () => {
    expect(rules.every((r) => r.note !== undefined && r.note.length > 5)).toBe(true);
    expect(winner(rules, '/home/al/Documents')).toBeUndefined();
    expect(winner(rules, '/tmp/x', false)).toBeUndefined(); // inside /tmp it is the walk that never enters
    expect(winner(rules, '/tmp', false)).toBeUndefined(); // a file named /tmp is not the directory
  });

  it('leave the bytecode of packaged Python alone: reinstalling brings it back, unreported', () => {
    expect(winner(rules, '/usr/lib/python3/dist-packages/x/__pycache__')).toBeUndefined();
    expect(winner(rules, '/usr/lib64/python3.12/__pycache__')).toBeUndefined();
    expect(winner(rules, '/home/al/app/__pycache__', false)).toBeUndefined(); // a file of that name is data
    expect(winner(rules, '/home/al/app/mod.pyc', false)).toBeUndefined(); // a .pyc outside __pycache__ may have no source
  });

  it('use the home directories given for ~', () => {
    expect(winner(builtinRules(['/srv/home/*']), '/srv/home/al/.cache')?.name).toBe('caches');
    expect(winner(builtinRules(['/srv/home/*']), '/home/al/.cache')).toBeUndefined();
  });
});

describe('choosing the rules in force', () => {
  const builtin = builtinRules();
  const user = parseRulesFile('save /var/cache/keep/ name=keep', { file: 'mine' });

  it('puts the user rules after the built-in ones, so they win', () => {
    const rules = selectRules({ builtin, user });
    expect(rules.at(-1)!.name).toBe('keep');
    expect(rules.length).toBe(builtin.length + 1);
  });

  it('switches off the built-ins, or groups of rules by name', () => {
    expect(selectRules({ builtin, user, noBuiltin: true }).map((r) => r.name)).toEqual(['keep']);
    const rules = selectRules({ builtin, user, off: ['caches', 'keep'] });
    expect(rules.some((r) => r.name === 'caches' || r.name === 'keep')).toBe(false);
    expect(winner(rules, '/var/cache')).toBeUndefined();
    expect(winner(rules, '/tmp')?.name).toBe('tmp');
  });

  it('refuses a name no rule has, listing the known ones', () => {
    expect(() => selectRules({ builtin, user, off: ['cache'] })).toThrow(UnknownRuleNameError);
    expect(() => selectRules({ builtin, user, off: ['cache'] })).toThrow(/no rule is named "cache" \(known: browser-profiles, caches, keep, mysql/);
  });
});

describe('the documentation of the built-in rules', () => {
  it('shows them exactly as they are', async () => {
    const { readFile } = await import('node:fs/promises');
    const { builtinRulesText } = await import('#backup/domain/rules/builtin-rules.js');
    const { repoRoot } = await import('#test/support/child-env.js');
    expect(await readFile(`${repoRoot}docs/rules.md`, 'utf8')).toContain(`\`\`\`text\n${builtinRulesText}\`\`\`\n`);
  });
});
