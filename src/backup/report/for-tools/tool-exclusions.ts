/**
 * Skip rules in a form backup tools can take as their own excludes. What they matched may lie
 * inside a folder the list saves whole (summary-node.ts): the tool's excludes keep it out, and
 * also what appears between the scan and the backup (a new cache inside a folder saved whole).
 *
 * Only what is safe is handed over: a skip rule whose pattern is a plain glob (literal names,
 * `*`, `?`, `**`, `~`; no `[...]` or `\` escapes, no plugin match function), and that matches no
 * listed path and no folder above one, and that no later save or diff rule matching at any depth
 * can override (a later `save` rule may keep a path a skip rule matches; a tool's unordered
 * excludes would drop it). Leaving a rule out only lets a tool copy more.
 * @module
 */
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';
import { defaultHomes } from '#backup/domain/rules/glob.js';
import type { Rule } from '#backup/domain/rules/rule.js';
import { isToolExcludable } from '#backup/domain/rules/tool-excludable.js';
import { ancestorFolders, type ToolItem } from './tool-items.js';

/** One exclude, in a form each tool's syntax can spell. */
export interface ToolExclusion {
  /** Byte-string names; `*` and `?` match within a name, a name `**` any number of folders. */
  readonly names: readonly string[];
  /** True: from the root (`/var/cache/`); false: at any depth (`*.tmp`, `__pycache__/`). */
  readonly anchored: boolean;
  /** True when the rule matches folders only: tools without that form exclude the folder's contents. */
  readonly directoryOnly: boolean;
  /** The rule's name, for comments. */
  readonly rule: string;
}

/** The excludes the tools may take for `rules`, given the items they back up (see the module comment). */
export function toolExclusions(rules: readonly Rule[], items: readonly ToolItem[]): ToolExclusion[] {
  const ancestors = [...ancestorFolders(items)];
  const keeps = (rule: Rule): boolean =>
    items.some((item) => rule.matches({ path: item.path, directory: item.kind !== 'entry' })) ||
    ancestors.some((path) => rule.matches({ path, directory: true }));
  return rules.filter((rule, at) => isToolExcludable(rule) && !keeps(rule) && !overriddenLater(rules, at)).flatMap((rule) => exclusionsOf(rule));
}

/**
 * True when a save or diff rule after `rules[at]` may win over it for a path inside a folder the
 * list saves whole, where the item check cannot see: one matching at any depth (`**`, a bare name,
 * a plugin's match). `skip *.log` then `save ~/**` saves `~/d/x.log` inside the listed `~/d/`; the
 * tool must not be told to leave out `*.log`.
 */
function overriddenLater(rules: readonly Rule[], at: number): boolean {
  return rules
    .slice(at + 1)
    .some((later) => (later.action === 'save' || later.action === 'diff') && (later.needsClass === true || later.pattern.includes('**') || !/^[/~]/.test(later.pattern)));
}

/** The rule's pattern (portable: tool-excludable.ts) in tool form. */
function exclusionsOf(rule: Rule): ToolExclusion[] {
  const pattern = rule.pattern;
  const directoryOnly = pattern.length > 1 && pattern.endsWith('/');
  const body = encodeUtf8(directoryOnly ? pattern.slice(0, -1) : pattern);
  const make = (names: string[], anchored: boolean): ToolExclusion => ({ names, anchored, directoryOnly, rule: rule.name });
  if (body === '~' || body.startsWith('~/')) {
    const rest = body === '~' ? [] : body.slice(2).split('/');
    return defaultHomes.map((home) => make([...home.slice(1).split('/'), ...rest], true));
  }
  if (body.startsWith('/')) return [make(body.slice(1).split('/'), true)];
  if (!body.includes('/')) return [make([body], false)];
  return [];
}
