import { describe, expect, it } from 'vitest';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { accountFromFiles } from '#backup/domain/readable-by/readable-by-account.js';
import { ReadableByCheck } from '#backup/domain/readable-by/readable-by.js';
import { builtinRules } from '#backup/domain/rules/builtin-rules.js';
import { RuleEngine } from '#backup/domain/rules/rule-engine.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';

const FILES = Number(process.env.BENCH_FILES ?? 200_000);

/** A depth-first walk of homes with documents, caches and browser profiles. */
function* walk(): Generator<ScannedEntry> {
  const dir = (path: string): ScannedEntry => ({ path, kind: 'directory', class: 'new', size: 0n });
  const file = (path: string): ScannedEntry => ({ path, kind: 'file', class: 'new', size: 100n });
  yield { path: '/', kind: 'directory', class: 'unmodified', size: 0n };
  yield { path: '/home', kind: 'directory', class: 'unmodified', size: 0n };
  const perHome = 1000;
  for (let home = 0; home * perHome < FILES; home += 1) {
    const base = `/home/u${home}`;
    yield dir(base);
    for (const sub of ['.cache', '.mozilla', 'docs']) {
      yield dir(`${base}/${sub}`);
      for (let i = 0; i < perHome / 3; i += 1) yield file(`${base}/${sub}/f${i}.txt`);
    }
  }
}

/** Seconds for `run` over the whole walk, best of three. */
function time(run: (entry: ScannedEntry) => void, close: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 3; round += 1) {
    const start = performance.now();
    for (const entry of walk()) run(entry);
    close();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

describe(`rules and --readable-by over ${FILES} entries (in process)`, () => {
  it('prints the cost of rules and the readability check against the summary alone', () => {
    let summary = new BackupSummary();
    const baseline = time(
      (e) => summary.add(e),
      () => ((summary.close(), (summary = new BackupSummary())), undefined),
    );
    let engine = new RuleEngine(builtinRules());
    const withRules = time(
      (e) => {
        // The walk would not enter an excluded folder; count the check as the scanner makes it.
        engine.excludes(e.path, e.kind === 'directory');
        summary.add(engine.apply(e));
      },
      () => ((summary.close(), (summary = new BackupSummary()), (engine = new RuleEngine(builtinRules()))), undefined),
    );
    const account = accountFromFiles('u1', 'u1:x:1001:1001::/home/u1:/bin/sh\n', '');
    let check = new ReadableByCheck(account, () => ({ uid: 1001n, gid: 1001n, mode: 0o100644n }));
    const withReadable = time(
      (e) => {
        summary.add(e);
        check.check(e);
      },
      () => ((summary.close(), (summary = new BackupSummary()), (check = new ReadableByCheck(account, () => ({ uid: 1001n, gid: 1001n, mode: 0o100644n })))), undefined),
    );
    console.log(
      [
        `summary alone:                 ${baseline.toFixed(3)} s (baseline)`,
        `summary + ${builtinRules().length} built-in rules:  ${withRules.toFixed(3)} s = ${(withRules / baseline).toFixed(2)}x`,
        `summary + --readable-by:       ${withReadable.toFixed(3)} s = ${(withReadable / baseline).toFixed(2)}x`,
      ].join('\n'),
    );
    expect(baseline).toBeGreaterThan(0);
  });
});
