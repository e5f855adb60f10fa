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

/**
 * Rules that can match below one first name, in order, and the last bytes their matches can end
 * with (a 1 at that byte), for a file and for a directory: most paths end with none of them, and
 * are then matched by no rule without calling any.
 */
interface Candidates {
  readonly rules: readonly Rule[];
  /** Each rule's `matches`, apart: rules come in many shapes, and loading `matches` from each was a megamorphic load. */
  readonly matches: ReadonlyArray<Rule['matches']>;
  readonly fileEnds: Uint8Array;
  readonly directoryEnds: Uint8Array;
}

/** The {@link Candidates} of `rules`. */
function candidatesOf(rules: readonly Rule[]): Candidates {
  const fileEnds = new Uint8Array(256);
  const directoryEnds = new Uint8Array(256);
  for (const rule of rules) {
    const glob = rule.within;
    const files = glob === undefined || !glob.directoryOnly;
    const suffix = glob?.suffix ?? '';
    if (suffix === '') {
      directoryEnds.fill(1); // any last byte
      if (files) fileEnds.fill(1);
    } else {
      const end = suffix.charCodeAt(suffix.length - 1);
      directoryEnds[end] = 1;
      if (files) fileEnds[end] = 1;
    }
  }
  return { rules, matches: rules.map((rule) => rule.matches), fileEnds, directoryEnds };
}

/** Applies one ordered set of rules to one walk (it follows the walk, so use one per scan). */
export class RuleEngine {
  private readonly chain: Frame[] = [];
  /** Rules that can match below each first name; rules for any first name in all. */
  private readonly byFirstName = new Map<string, Candidates>();
  private readonly anyFirstName: Candidates;
  /** When no rule looks at classes, the walk's excludes() answer serves apply() for the same path. */
  private readonly pathOnly: boolean;
  /** The last excludes() question and answer, as fields: an object per entry was a visible share of a walk. */
  private lastPath: string | undefined;
  private lastDirectory = false;
  private lastRule: Rule | undefined;
  /** `/NAME/` of the last path match() looked up, and its candidates: a walk asks about one folder's entries in a row. */
  private lastPrefix = '';
  private lastCandidates: Candidates | undefined;

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: RuleEngineOptions = {},
  ) {
    this.anyFirstName = candidatesOf(rules.filter((rule) => rule.firstNames === undefined));
    for (const name of new Set(rules.flatMap((rule) => rule.firstNames ?? []))) {
      this.byFirstName.set(name, candidatesOf(rules.filter((rule) => rule.firstNames === undefined || rule.firstNames.includes(name))));
    }
    this.pathOnly = rules.every((rule) => rule.needsClass !== true);
  }

  /** The last rule matching `target`, if any. */
  match(target: RuleTarget): Rule | undefined {
    return this.matchPath(target.path, target.directory, target);
  }

  /** The last rule matching the path; `target` is made only when a rule is asked (undefined: only path and directory known). */
  private matchPath(path: string, directory: boolean, target: RuleTarget | undefined): Rule | undefined {
    const candidates = this.candidatesFor(path);
    if ((directory ? candidates.directoryEnds : candidates.fileEnds)[path.charCodeAt(path.length - 1)] === 0) return undefined;
    const matches = candidates.matches;
    const asked = target ?? { path, directory };
    for (let i = matches.length - 1; i >= 0; i -= 1) if (matches[i]!(asked)) return candidates.rules[i];
    return undefined;
  }

  /** The rules that can match below the first name of `path`. */
  private candidatesFor(path: string): Candidates {
    if (this.lastCandidates !== undefined && path.startsWith(this.lastPrefix)) return this.lastCandidates;
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
    const rule = this.matchPath(path, directory, undefined);
    this.lastPath = path;
    this.lastDirectory = directory;
    this.lastRule = rule;
    return rule?.action === 'skip' || rule?.action === 'dump';
  }

  private matchEntry(entry: ScannedEntry, directory: boolean): Rule | undefined {
    if (this.pathOnly && this.lastPath === entry.path && this.lastDirectory === directory) return this.lastRule;
    const { path, reason } = entry;
    return this.matchPath(path, directory, reason === undefined ? { path, directory, class: entry.class } : { path, directory, class: entry.class, reason });
  }

  /** The entry with its rule applied and marked (see the module comment). Entries come depth-first. */
  apply(entry: ScannedEntry): ScannedEntry {
    const chain = this.chain;
    while (chain.length > 0 && !isSameOrBelow(entry.path, chain[chain.length - 1]!.path)) chain.pop();
    const parent = chain.length > 0 ? chain[chain.length - 1] : undefined;
    const directory = entry.kind === 'directory';
    const rule = this.matchEntry(entry, directory) ?? parent?.rule; // the target is built only when the walk's answer does not serve
    // No rule here nor above: nothing to apply or mark, and no frame (one without a rule tells its children nothing).
    if (rule === undefined) return entry;
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
