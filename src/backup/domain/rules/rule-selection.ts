/**
 * Which rules are in force: the built-in ones (unless switched off), then the user's files and
 * plugins in the order given, less the names switched off. Later rules win over earlier ones.
 */
import type { Rule } from './rule.js';

/** Which rules the command line asks for. */
export interface RuleSelection {
  /** The rules what-to-backup ships with. */
  readonly builtin: readonly Rule[];
  /** The user's rules files and plugins, in command-line order. */
  readonly user: readonly Rule[];
  /** `--no-builtin-rules`. */
  readonly noBuiltin?: boolean;
  /** `--rules-off NAME`, any number of times. */
  readonly off?: readonly string[];
}

/** A `--rules-off` name that no rule has. */
export class UnknownRuleNameError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'UnknownRuleNameError';
}

/** The rules in force, in order; throws {@link UnknownRuleNameError} for a name no rule has. */
export function selectRules(selection: RuleSelection): Rule[] {
  const all = [...(selection.noBuiltin ? [] : selection.builtin), ...selection.user];
  const off = new Set(selection.off ?? []);
  const known = new Set([...selection.builtin, ...selection.user].map((rule) => rule.name));
  for (const name of off) {
    if (!known.has(name)) {
      throw new UnknownRuleNameError(`no rule is named ${JSON.stringify(name)} (known: ${[...known].sort().join(', ')})`);
    }
  }
  return all.filter((rule) => !off.has(rule.name));
}
