/**
 * Rule plugins: JavaScript or TypeScript modules, loaded by path (the loading is an adapter,
 * adapters/rule-plugins.ts), that give rules in code. A plugin's default export is one of
 *
 * - an array of {@link PluginRule};
 * - a function `(context) => PluginRule[]`, called once with a {@link PluginContext}.
 *
 * A plugin rule names its action as in a rules file and matches with a glob `pattern`, a
 * `match(target)` function, or both (then both must agree). `match` sees the path as a byte
 * string, whether it is a directory, and after classification the class and reason. This module
 * checks what a plugin gives and turns it into {@link Rule}s; a bad plugin is refused whole.
 */
import { compileGlob, GlobError, globMatches } from './glob.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import { ruleActions, whenConditions, type Rule, type RuleAction, type RuleTarget, type WhenCondition } from './rule.js';

/** One rule as a plugin gives it. */
export interface PluginRule {
  /** Name to switch it off by (`--rules-off NAME`) and to show in the report. */
  readonly name: string;
  /** `skip`, `save`, `diff` or `dump` (see rule.ts). */
  readonly action: RuleAction;
  /** A glob as in a rules file (rules/glob.ts). */
  readonly pattern?: string;
  /** Decides in code; with a pattern too, both must agree. Must not throw. */
  readonly match?: (target: RuleTarget) => boolean;
  /** For save, diff, dump: when the data is at rest. */
  readonly when?: WhenCondition;
  /** Required by dump, refused elsewhere: the command that makes a consistent copy. */
  readonly tool?: string;
  /** Shown beside the entries it marks. */
  readonly note?: string;
}

/** What a plugin function is told about the system being scanned. */
export interface PluginContext {
  /** Home directory patterns `~` stands for in patterns. */
  readonly homes: readonly string[];
}

/** The shape of a plugin module's default export. */
export type RulesPlugin = readonly PluginRule[] | ((context: PluginContext) => readonly PluginRule[]);

/** A plugin that does not give valid rules; the message, on one line, says which rule and why. */
export class PluginError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'PluginError';

  constructor(message: string) {
    // A plugin's own words (a rule's name, what it threw) may hold newlines: the program ends with one line.
    super(message.replace(/\n/g, '\\n'));
  }
}

/** The rules a plugin module's default export gives; throws {@link PluginError}. */
export function rulesFromPlugin(exported: unknown, source: string, context: PluginContext): Rule[] {
  let given: unknown = exported;
  try {
    if (typeof exported === 'function') given = (exported as (c: PluginContext) => unknown)(context);
  } catch (error) {
    throw new PluginError(`${source}: the default export failed: ${messageOf(error)}`);
  }
  if (!Array.isArray(given)) throw new PluginError(`${source}: the default export must be an array of rules or a function returning one`);
  return given.map((item: unknown, index) => toRule(item, `${source}: rule ${index + 1}`, source, context));
}

function toRule(item: unknown, where: string, source: string, context: PluginContext): Rule {
  if (typeof item !== 'object' || item === null) throw new PluginError(`${where}: not an object`);
  const rule = item as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = rule[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new PluginError(`${where}: ${key} must be a non-empty string`);
    return value;
  };
  const name = text('name');
  if (name === undefined) throw new PluginError(`${where}: a name is required`);
  const action = text('action') as RuleAction | undefined;
  if (action === undefined || !ruleActions.includes(action)) throw new PluginError(`${where} (${name}): action must be one of ${ruleActions.join(', ')}`);
  const when = text('when') as WhenCondition | undefined;
  if (when !== undefined && (action === 'skip' || !whenConditions.includes(when))) {
    throw new PluginError(`${where} (${name}): when must be one of ${whenConditions.join(', ')}, and not on skip`);
  }
  const tool = text('tool');
  if ((action === 'dump') !== (tool !== undefined)) throw new PluginError(`${where} (${name}): dump needs a tool, and only dump takes one`);
  const note = text('note');
  const pattern = text('pattern');
  const match = rule['match'];
  if (match !== undefined && typeof match !== 'function') throw new PluginError(`${where} (${name}): match must be a function`);
  if (pattern === undefined && match === undefined) throw new PluginError(`${where} (${name}): give a pattern, a match function, or both`);
  let glob;
  try {
    glob = pattern === undefined ? undefined : compileGlob(pattern, context.homes);
  } catch (error) {
    if (error instanceof GlobError) throw new PluginError(`${where} (${name}): bad pattern at ${error.offset + 1}: ${error.message}`);
    throw error;
  }
  const matchFunction = match as ((target: RuleTarget) => boolean) | undefined;
  return {
    name,
    action,
    source,
    pattern: pattern ?? '(plugin match)',
    matches: (target) => (glob === undefined || globMatches(glob, target.path, target.directory)) && (matchFunction === undefined || callMatch(matchFunction, target, `${where} (${name})`)),
    ...(glob === undefined ? {} : { within: glob }),
    ...(glob?.firstNames === undefined ? {} : { firstNames: glob.firstNames }),
    ...(matchFunction === undefined ? {} : { needsClass: true }),
    ...(when === undefined ? {} : { when }),
    ...(tool === undefined ? {} : { tool }),
    ...(note === undefined ? {} : { note }),
  };
}

/** A plugin's match function, whose failure names the plugin, the rule and the path (the scan stops). */
function callMatch(match: (target: RuleTarget) => boolean, target: RuleTarget, where: string): boolean {
  try {
    return match(target) === true;
  } catch (error) {
    throw new PluginError(`${where}: match failed on ${escapePath(target.path)}: ${messageOf(error)}`);
  }
}

/** The message of whatever a plugin threw (it may throw anything, not only an Error, even one that cannot be shown). */
export function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    return Object.prototype.toString.call(error); // a cycle, a BigInt, a hostile toString
  }
}
