/**
 * Rules: what the user (or a built-in, or a plugin) says about some paths. A rule matches entries
 * and attaches an action and a note to them:
 *
 * - `skip`: leave it out; it is reported as excluded, naming the rule (the walk does not enter it).
 * - `save`: back it up even if it is an intact package file.
 * - `diff`: a changed config file; save only its difference from the package's version.
 * - `dump`: a database; back it up with the application's own tool (`tool`), not as raw files.
 *
 * `when` restricts a save, diff or dump to a moment when the data is at rest.
 */
import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import type { CompiledGlob } from './glob.js';

/** What a rule does to the entries it matches (see the module comment). */
export type RuleAction = 'skip' | 'save' | 'diff' | 'dump';

/** Every action, in the order messages list them. */
export const ruleActions: readonly RuleAction[] = ['skip', 'save', 'diff', 'dump'];

/** When the data is consistent enough to copy. */
export type WhenCondition = 'logged-out' | 'shutdown' | 'single-user';

/** Every `when` condition, in the order messages list them. */
export const whenConditions: readonly WhenCondition[] = ['logged-out', 'shutdown', 'single-user'];

/** What a rule looks at. Before the walk enters a path only `path` and `directory` are known. */
export interface RuleTarget {
  /** Absolute byte-string path (see entry.ts). */
  readonly path: string;
  /** True for a directory (patterns ending in `/` match only those). */
  readonly directory: boolean;
  /** The scanner's verdict; undefined while the walk decides whether to enter the path. */
  readonly class?: EntryClass;
  /** The scanner's reason, e.g. rpm-style verify flags `S.5....T c`. */
  readonly reason?: string;
}

/** A rule ready to apply, from a rules file, the built-ins or a plugin. */
export interface Rule {
  /** Name to switch it off by (`--rules-off NAME`); several rules may share one. */
  readonly name: string;
  /** What it does to matching entries. */
  readonly action: RuleAction;
  /** Where it came from: `builtin`, `rules.txt:3`, a plugin's path. */
  readonly source: string;
  /** The pattern as written, for people; plugins may describe their matcher here. */
  readonly pattern: string;
  /** Whether the rule applies to `target`. */
  readonly matches: (target: RuleTarget) => boolean;
  /** The first names a matching path can start with (see glob.ts); absent when any. */
  readonly firstNames?: readonly string[];
  /** A glob every path the rule matches also matches (it may match fewer): lets the engine pass the rule by for most paths without calling `matches`. */
  readonly within?: CompiledGlob;
  /** True when `matches` may depend on the class or reason, not only on the path. */
  readonly needsClass?: boolean;
  /** For save, diff, dump: when the data is at rest. */
  readonly when?: WhenCondition;
  /** For `dump`: the command that makes a consistent copy, e.g. `pg_dumpall`. */
  readonly tool?: string;
  /** Why, for people: shown in the report. */
  readonly note?: string;
}

/** What a rule attached to one entry: shown in the tree report and the JSON. */
export interface RuleMark {
  /** The rule's name. */
  readonly rule: string;
  /** What it does to the entry. */
  readonly action: RuleAction;
  /** Where the rule came from, e.g. `rules.txt:3`. */
  readonly source: string;
  /** Its pattern as written. */
  readonly pattern: string;
  /** For save, diff, dump: when the data is at rest. */
  readonly when?: WhenCondition;
  /** For dump: the command that makes a consistent copy. */
  readonly tool?: string;
  /** The rule's note, shown beside the entry. */
  readonly note?: string;
  /** For `diff`: why the file differs from its package (verify flags, package). */
  readonly evidence?: string;
}

/** The mark `rule` leaves on an entry, with `evidence` for a diff. */
export function markOf(rule: Rule, evidence?: string): RuleMark {
  return {
    rule: rule.name,
    action: rule.action,
    source: rule.source,
    pattern: rule.pattern,
    ...(rule.when === undefined ? {} : { when: rule.when }),
    ...(rule.tool === undefined ? {} : { tool: rule.tool }),
    ...(rule.note === undefined ? {} : { note: rule.note }),
    ...(evidence === undefined ? {} : { evidence }),
  };
}

/** `dump with pg_dumpall, when logged-out: note` — one line for people. */
export function describeMark(mark: RuleMark): string {
  const what = mark.action === 'dump' ? `dump with ${mark.tool ?? '?'}` : mark.action;
  const when = mark.when === undefined ? '' : `, when ${mark.when}`;
  const evidence = mark.evidence === undefined ? '' : ` [${mark.evidence}]`;
  const note = mark.note === undefined ? '' : `: ${mark.note}`;
  return `rule ${mark.rule}: ${what}${when}${evidence}${note}`;
}
