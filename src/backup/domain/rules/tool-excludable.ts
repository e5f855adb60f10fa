/**
 * Which skip rules a backup tool can apply itself, as its own exclude: a plain glob (literal
 * names, `*`, `?`, `**`, `~`; no `[...]` or `\` escapes), anchored at the root, at `~`, or a single
 * name at any depth, decided by the path alone (no plugin match function). What such a rule
 * leaves out need not keep its folder from being listed whole: the tool leaves it out too.
 * @module
 */
import type { Rule, RuleMark } from './rule.js';

/** True when `pattern` is spelled the same in every tool's exclude syntax (see the module comment). */
export function isPortablePattern(pattern: string): boolean {
  if (/[[\\\0]/.test(pattern) || pattern === '/' || pattern.includes('//')) return false;
  const body = pattern.length > 1 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  return body === '~' || body.startsWith('~/') || body.startsWith('/') || !body.includes('/');
}

/** True when `rule` is a skip rule a backup tool can take as its own exclude. */
export function isToolExcludable(rule: Rule): boolean {
  return rule.action === 'skip' && rule.needsClass !== true && isPortablePattern(rule.pattern);
}

/** Tells the marks of tool-excludable rules among `rules` (marks are copies, so matched by what they name). */
export function toolExcludableMarks(rules: readonly Rule[]): (mark: RuleMark) => boolean {
  const key = (source: string, rule: string, pattern: string) => `${source}\0${rule}\0${pattern}`;
  const excludable = new Set(rules.filter(isToolExcludable).map((r) => key(r.source, r.name, r.pattern)));
  return (mark) => mark.action === 'skip' && excludable.has(key(mark.source, mark.rule, mark.pattern));
}

