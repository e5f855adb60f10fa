import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthFirstEntries, expandFlatList, treeArbitrary } from '#sim/backup/backup-trees.js';
import { isSameOrBelow, parentPath } from '#backup/domain/paths/byte-path.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { RuleEngine } from '#backup/domain/rules/rule-engine.js';
import type { Rule, RuleMark } from '#backup/domain/rules/rule.js';
import { toolExcludableMarks } from '#backup/domain/rules/tool-excludable.js';
import { expandAroundSkips } from '#backup/report/list/expand-around-skips.js';
import { parseRulesFile } from '#backup/domain/rules/rules-file.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { flatList } from '#backup/report/list/flat-list.js';

/** A pattern matching exactly `path`, every byte written as `\xHH` (any name survives). */
const exactPattern = (path: string) => (path === '/' ? '/' : path.split('/').map((name) => [...name].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')).join('/'));

/** The walk as the scanner does it: what a rule excludes is reported, and nothing below it. */
function walk(entries: readonly ScannedEntry[], engine: RuleEngine): ScannedEntry[] {
  const emitted: ScannedEntry[] = [];
  let skipped: string | undefined;
  for (const entry of entries) {
    if (skipped !== undefined && isSameOrBelow(entry.path, skipped) && entry.path !== skipped) continue;
    skipped = undefined;
    if (entry.path !== '/' && engine.excludes(entry.path, entry.kind === 'directory')) {
      emitted.push({ path: entry.path, kind: entry.kind, class: 'excluded', size: entry.size });
      if (entry.kind === 'directory') skipped = entry.path;
    } else emitted.push(entry);
  }
  return emitted;
}

describe('rules over random trees', () => {
  it('lose nothing silently, save what save rules cover, and list nothing a skip covers', () => {
    fc.assert(
      fc.property(treeArbitrary(), fc.infiniteStream(fc.integer({ min: 0, max: 7 })), (tree, picks) => {
        const entries = depthFirstEntries(tree);
        const paths = entries.map((e) => e.path);
        const choice = picks[Symbol.iterator]();
        const lines = paths.flatMap((path) => {
          const action = ['skip', 'save', 'diff'][choice.next().value as number];
          return action === undefined || path === '/' ? [] : [`${action} ${exactPattern(path)} name=r${path.length}`];
        });
        const rules: Rule[] = parseRulesFile(lines.join('\n'), { file: 'random' });
        const engine = new RuleEngine(rules);
        const summary = new BackupSummary();
        const applied = walk(entries, engine).map((e) => engine.apply(e));
        applied.forEach((e) => summary.add(e));
        const result = summary.close();
        const listed = expandFlatList(flatList(result.root), paths);
        const direct = (at: string) => engine.match({ path: at, directory: entries.find((e) => e.path === at)?.kind === 'directory' });
        // The oracle: a folder skipped is never walked, whatever rules say below it; otherwise the
        // nearest rule (the entry's own, or its nearest folder's) applies.
        const ruled = (path: string): Rule | undefined => {
          const above: string[] = [];
          for (let at = parentPath(path); at !== undefined; at = parentPath(at)) above.unshift(at);
          const skipping = above.map(direct).find((rule) => rule?.action === 'skip');
          if (skipping !== undefined) return skipping;
          for (let at: string | undefined = path; at !== undefined; at = parentPath(at)) {
            const rule = direct(at);
            if (rule !== undefined) return rule;
          }
          return undefined;
        };
        const skippedByRule = (path: string) => result.reported.some((r) => r.rule?.action === 'skip' && isSameOrBelow(path, r.path));
        for (const entry of entries) {
          if (entry.kind === 'directory') continue;
          const rule = ruled(entry.path);
          if (rule?.action === 'skip') {
            expect(listed.has(entry.path)).toBe(false);
            expect(skippedByRule(entry.path)).toBe(true);
          } else if (entry.class === 'new' || entry.class === 'modified') {
            expect(listed.has(entry.path)).toBe(true);
          } else if (entry.class === 'unmodified') {
            expect(listed.has(entry.path)).toBe(rule?.action === 'save');
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('skip rules a backup tool applies itself, over random trees', () => {
  it('let folders fold in the tree, and the opened-up list saves exactly what the exact fold saves', () => {
    const plain = (path: string) => /^[A-Za-z0-9/._-]+$/.test(path);
    fc.assert(
      fc.property(treeArbitrary(), fc.infiniteStream(fc.integer({ min: 0, max: 3 })), (tree, picks) => {
        const entries = depthFirstEntries(tree);
        const paths = entries.map((e) => e.path);
        const choice = picks[Symbol.iterator]();
        // Anchored plain patterns: ones every tool can spell (tool-excludable.ts).
        const lines = paths.filter((path) => path !== '/' && plain(path) && choice.next().value === 0).map((path) => `skip ${path} name=r${path.length}`);
        const rules: Rule[] = parseRulesFile(lines.join('\n'), { file: 'random' });
        const summarise = (foldsOver: ((mark: RuleMark) => boolean) | undefined) => {
          const engine = new RuleEngine(rules);
          const summary = new BackupSummary(foldsOver === undefined ? {} : { foldsOver });
          walk(entries, engine).forEach((e) => summary.add(engine.apply(e)));
          return summary.close();
        };
        const exact = summarise(undefined);
        const folded = summarise(toolExcludableMarks(rules));
        const kinds = new Map(entries.map((e) => [e.path, e.kind]));
        const listDirectory = (dir: string) => {
          if (kinds.get(dir) !== 'directory') return undefined;
          return entries.filter((e) => parentPath(e.path) === dir && e.path !== dir).map((e) => ({ name: e.path.slice(dir === '/' ? 1 : dir.length + 1), directory: e.kind === 'directory' }));
        };
        const skipped = folded.reported.filter((r) => r.rule?.action === 'skip').map((r) => r.path);
        const opened = expandAroundSkips(flatList(folded.root), skipped, listDirectory).list;
        const files = entries.filter((e) => e.kind !== 'directory').map((e) => e.path);
        // Files only: opening up may name an intact folder's own entry the exact fold leaves out.
        const fileSet = new Set(files);
        const savedFiles = (list: readonly string[]) => [...expandFlatList(list, files)].filter((p) => fileSet.has(p) && !skipped.some((s) => isSameOrBelow(p, s))).sort();
        expect(savedFiles(opened)).toEqual(savedFiles(flatList(exact.root)));
        for (const s of skipped) expect(expandFlatList(opened, paths).has(s)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
