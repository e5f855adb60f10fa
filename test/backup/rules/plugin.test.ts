import { describe, expect, it } from 'vitest';
import { PluginError, rulesFromPlugin, type PluginRule } from '#backup/domain/rules/plugin.js';

const context = { homes: ['/root', '/home/*'] };

describe('rule plugins', () => {
  it('give rules from an array, matched by pattern, by function, or both', () => {
    const rules = rulesFromPlugin(
      [
        { name: 'vm-images', action: 'skip', pattern: '*.qcow2', note: 'rebuilt from the recipe' },
        { name: 'big-logs', action: 'skip', match: (t) => t.path.startsWith('/var/log/') && !t.directory },
        { name: 'git', action: 'save', pattern: '~/src/*/', match: (t) => t.class === 'unmodified', when: 'logged-out' },
        { name: 'redis', action: 'dump', pattern: '/var/lib/redis/', tool: 'redis-cli --rdb' },
      ] satisfies PluginRule[],
      'plugin.js',
      context,
    );
    expect(rules.map((r) => [r.name, r.action, r.source, r.pattern])).toEqual([
      ['vm-images', 'skip', 'plugin.js', '*.qcow2'],
      ['big-logs', 'skip', 'plugin.js', '(plugin match)'],
      ['git', 'save', 'plugin.js', '~/src/*/'],
      ['redis', 'dump', 'plugin.js', '/var/lib/redis/'],
    ]);
    expect(rules[0]!.matches({ path: '/srv/vm.qcow2', directory: false })).toBe(true);
    expect(rules[1]!.matches({ path: '/var/log/x', directory: false })).toBe(true);
    expect(rules[1]!.matches({ path: '/var/log/x', directory: true })).toBe(false);
    expect(rules[2]!.matches({ path: '/home/al/src/p', directory: true, class: 'unmodified' })).toBe(true);
    expect(rules[2]!.matches({ path: '/home/al/src/p', directory: true, class: 'new' })).toBe(false);
    expect(rules[2]!.matches({ path: '/home/al/p', directory: true, class: 'unmodified' })).toBe(false);
    expect(rules[2]!.when).toBe('logged-out');
    expect(rules[3]!.tool).toBe('redis-cli --rdb');
  });

  it('call a function export with the context', () => {
    const rules = rulesFromPlugin((c: { homes: readonly string[] }) => c.homes.map((h, i) => ({ name: `h${i}`, action: 'save', pattern: `${h}/keep` })), 'p.ts', context);
    expect(rules.map((r) => r.pattern)).toEqual(['/root/keep', '/home/*/keep']);
  });

  it.each([
    [{}, 'the default export must be an array'],
    [[null], 'rule 1: not an object'],
    [[{ action: 'skip', pattern: '/x' }], 'a name is required'],
    [[{ name: 'a', action: 'keep', pattern: '/x' }], 'action must be one of skip, save, diff, dump'],
    [[{ name: 'a', action: 'skip' }], 'give a pattern, a match function, or both'],
    [[{ name: 'a', action: 'skip', pattern: 'x/y' }], 'bad pattern at 1'],
    [[{ name: 'a', action: 'skip', pattern: '/x', match: 'yes' }], 'match must be a function'],
    [[{ name: 'a', action: 'dump', pattern: '/x' }], 'dump needs a tool'],
    [[{ name: 'a', action: 'save', pattern: '/x', tool: 'tar' }], 'only dump takes one'],
    [[{ name: 'a', action: 'skip', pattern: '/x', when: 'shutdown' }], 'not on skip'],
    [[{ name: 'a', action: 'save', pattern: '/x', when: 'noon' }], 'when must be one of'],
    [[{ name: 'a', action: 'save', pattern: '/x', note: 7 }], 'note must be a non-empty string'],
  ])('refuse a bad export whole: %j', (exported, words) => {
    expect(() => rulesFromPlugin(exported, 'bad.js', context)).toThrow(PluginError);
    expect(() => rulesFromPlugin(exported, 'bad.js', context)).toThrow(words);
  });
});
