/**
 * The rule engine passes most paths by without asking any rule: it keeps, per first name, the
 * rules that can match below it and the last bytes their matches end with. These check that this
 * never changes an answer: the engine agrees with asking every rule in turn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '#backup/domain/rules/builtin-rules.js';
import { RuleEngine } from '#backup/domain/rules/rule-engine.js';
import type { Rule } from '#backup/domain/rules/rule.js';
import { parseRulesFile } from '#backup/domain/rules/rules-file.js';

/** Names from a small alphabet, so random patterns and paths meet often. */
const name = fc.stringMatching(/^[abc.\xe9]{1,3}$/);
const patternName = fc.oneof(name, fc.constantFrom('*', '?', '**', 'a*', '*.c', '[ab]', '[!a]c', '\\x61'));
const pattern = fc.oneof(
  fc.array(patternName, { minLength: 1, maxLength: 4 }).map((names) => `/${names.join('/')}`),
  fc.array(patternName, { minLength: 0, maxLength: 3 }).map((names) => ['~', ...names].join('/')),
  patternName.filter((n) => n !== '**'),
).chain((p) => fc.constantFrom(p, `${p}/`));
const path = fc.array(name, { minLength: 1, maxLength: 5 }).map((names) => `/${names.join('/')}`);
const homes = ['/root', '/home/*', '/b'];

describe('the rule engine, against asking every rule', () => {
  const lastMatch = (rules: readonly Rule[], target: { path: string; directory: boolean }) => [...rules].reverse().find((rule) => rule.matches(target));

  it('gives the same rule for every path, in walk order or any other', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 8 }), fc.array(fc.tuple(path, fc.boolean()), { minLength: 1, maxLength: 60 }), fc.boolean(), (patterns, asked, sorted) => {
        const text = patterns.map((p, i) => `${i % 2 ? 'skip' : 'save'} ${p} name=r${i}`).join('\n');
        const rules = [...builtinRules(homes), ...parseRulesFile(text, { file: 'random', homes })];
        const engine = new RuleEngine(rules);
        const order = sorted ? [...asked].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : asked;
        for (const [at, directory] of order) {
          expect(engine.match({ path: at, directory })?.name).toBe(lastMatch(rules, { path: at, directory })?.name);
          expect(engine.excludes(at, directory)).toBe(['skip', 'dump'].includes(lastMatch(rules, { path: at, directory })?.action ?? ''));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('asks every rule about the root, and about names beyond one byte', () => {
    const rules = parseRulesFile('skip / name=root\nskip *\u0100 name=wide', { file: 'r' });
    const engine = new RuleEngine(rules);
    expect(engine.match({ path: '/', directory: true })?.name).toBe('root');
    expect(engine.match({ path: '/x/\u0100', directory: false })?.name).toBe(lastMatch(rules, { path: '/x/\u0100', directory: false })?.name);
  });
});
