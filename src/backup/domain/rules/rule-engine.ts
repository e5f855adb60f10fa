/**
 * Applies rules to the scanner's entries as they stream by, depth-first (a directory before what
 * is inside it). For each entry the last rule that matches it wins; an entry no rule matches
 * follows the rule of its nearest directory that one did (inheritance), so `save /srv/` covers
 * everything in /srv, and `skip ~/.cache/` inside a saved home still wins for the cache.
 *
 * An entry is marked only where its rule differs from the one its directory shows, so a folder
 * saved whole by one rule carries one mark and memory follows the marks, not the files:
 * - skip, dump: the entry becomes `excluded` (the walk does not enter it: see {@link excludes});
 * - save: an intact package file becomes `modified` with the reason `forced by rule NAME`;
 *   new and modified entries keep their class; reported entries are left alone;
 * - diff: marks modified files only, with the evidence (verify flags, package); a new file has
 *   no package version to diff against and is simply saved.
 */
import { isSameOrBelow } from '#backup/domain/paths/byte-path.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { isReportedClass } from '#backup/domain/summary/totals.js';
import { firstNameOf } from './glob.js';
import { markOf, type Rule, type RuleMark, type RuleTarget } from './rule.js';

/** What the engine may look up while applying rules. */
export interface RuleEngineOptions {
  /** The package owning a path, for a diff's evidence; undefined when unknown. */
  readonly packageOf?: (path: string) => string | undefined;
}

interface Frame {
  readonly path: string;
  /** The rule in force here (matched or inherited). */
  readonly rule: Rule | undefined;
  /** The rule whose mark is visible here (on this entry or an ancestor). */
  readonly shown: Rule | undefined;
}

/** Applies one ordered set of rules to one walk (it follows the walk, so use one per scan). */
export class RuleEngine {
  private readonly chain: Frame[] = [];
  /** Rules that can match below each first name, in order; rules for any first name in all. */
  private readonly byFirstName = new Map<string, readonly Rule[]>();
  private readonly anyFirstName: readonly Rule[];
  /** When no rule looks at classes, the walk's excludes() answer serves apply() for the same path. */
  private readonly pathOnly: boolean;
  /** The last excludes() question and answer, as fields: an object per entry was a visible share of a walk. */
  private lastPath: string | undefined;
  private lastDirectory = false;
  private lastRule: Rule | undefined;
  /** `/NAME/` of the last path match() looked up, and its candidates: a walk asks about one folder's entries in a row. */
  private lastPrefix = '';
  private lastCandidates: readonly Rule[] = [];

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: RuleEngineOptions = {},
  ) {
    this.anyFirstName = rules.filter((rule) => rule.firstNames === undefined);
    for (const name of new Set(rules.flatMap((rule) => rule.firstNames ?? []))) {
      this.byFirstName.set(name, rules.filter((rule) => rule.firstNames === undefined || rule.firstNames.includes(name)));
    }
    this.pathOnly = rules.every((rule) => rule.needsClass !== true);
  }

  /** The last rule matching `target`, if any. */
  match(target: RuleTarget): Rule | undefined {
    const candidates = this.candidatesFor(target.path);
    for (let i = candidates.length - 1; i >= 0; i -= 1) if (candidates[i]!.matches(target)) return candidates[i];
    return undefined;
  }

  /** The rules that can match below the first name of `path`, in order. */
  private candidatesFor(path: string): readonly Rule[] {
    if (this.lastPrefix !== '' && path.startsWith(this.lastPrefix)) return this.lastCandidates;
    const candidates = this.byFirstName.get(firstNameOf(path)) ?? this.anyFirstName;
    const slash = path.indexOf('/', 1);
    if (slash > 0) {
      this.lastPrefix = path.slice(0, slash + 1);
      this.lastCandidates = candidates;
    }
    return candidates;
  }

  /** For the walk: true when a skip or dump rule matches the path, so it is not entered. */
  excludes(path: string, directory: boolean): boolean {
    const rule = this.match({ path, directory });
    this.lastPath = path;
    this.lastDirectory = directory;
    this.lastRule = rule;
    return rule?.action === 'skip' || rule?.action === 'dump';
  }

  private matchEntry(entry: ScannedEntry, directory: boolean): Rule | undefined {
    if (this.pathOnly && this.lastPath === entry.path && this.lastDirectory === directory) return this.lastRule;
    const { path, reason } = entry;
    return this.match(reason === undefined ? { path, directory, class: entry.class } : { path, directory, class: entry.class, reason });
  }

  /** The entry with its rule applied and marked (see the module comment). Entries come depth-first. */
  apply(entry: ScannedEntry): ScannedEntry {
    while (this.chain.length > 0 && !isSameOrBelow(entry.path, this.chain.at(-1)!.path)) this.chain.pop();
    const parent = this.chain.at(-1);
    const directory = entry.kind === 'directory';
    const rule = this.matchEntry(entry, directory) ?? parent?.rule; // the target is built only when the walk's answer does not serve
    if (rule === undefined) {
      if (directory) this.chain.push({ path: entry.path, rule, shown: parent?.shown });
      return entry; // no rule here nor above: nothing to apply or mark
    }
    const applied = this.applyRule(rule, entry);
    const result = applied.result;
    // Inside a folder that shows this rule already, the rule still applies but adds no mark.
    const mark = rule === parent?.shown ? undefined : applied.mark;
    if (entry.kind === 'directory') this.chain.push({ path: entry.path, rule, shown: mark === undefined ? parent?.shown : rule });
    return mark === undefined ? result : { ...result, rule: mark };
  }

  private applyRule(rule: Rule, entry: ScannedEntry): { result: ScannedEntry; mark: RuleMark | undefined } {
    switch (rule.action) {
      case 'skip':
      case 'dump':
        return { result: { ...entry, class: 'excluded' }, mark: markOf(rule) };
      case 'save':
        if (isReportedClass(entry.class)) return { result: entry, mark: undefined };
        if (entry.class !== 'unmodified') return { result: entry, mark: markOf(rule) };
        return { result: { ...entry, class: 'modified', reason: `forced by rule ${rule.name}` }, mark: markOf(rule) };
      case 'diff': {
        if (entry.kind !== 'file' || entry.class !== 'modified') return { result: entry, mark: undefined };
        const owner = this.options.packageOf?.(entry.path);
        const evidence = [entry.reason, owner].filter((part) => part !== undefined).join(' ');
        return { result: entry, mark: markOf(rule, evidence === '' ? undefined : evidence) };
      }
    }
  }
}
