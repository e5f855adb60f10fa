/**
 * Puts the user's wishes to work around a scan: rules (built-in, files, plugins) applied to each
 * entry, the `--readable-by` check, and the `--already-covered` filter on the printed list.
 * Everything is read and checked before the scan starts: a broken rules file, plugin or list
 * stops the program (exit 2) before anything is half-applied.
 */
import { readFileSync } from 'node:fs';
import type { CoveredList } from '#backup/domain/already-covered/already-covered-list.js';
import type { remainingAfterCovered } from '#backup/domain/already-covered/already-covered.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { listedPathJson, summaryJson, type ListedPathJson } from '#backup/report/json/json-report.js';
import { errorCode, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';
import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import type { readableByJson, readableByText } from '#backup/report/readable-by/readable-by-output.js';
import type { ReadableByCheck } from '#backup/domain/readable-by/readable-by.js';
import { builtinRules } from '#backup/domain/rules/builtin-rules.js';
import { defaultHomes } from '#backup/domain/rules/glob.js';
import { PluginError } from '#backup/domain/rules/plugin.js';
import { RuleEngine } from '#backup/domain/rules/rule-engine.js';
import { selectRules, UnknownRuleNameError } from '#backup/domain/rules/rule-selection.js';
import type { Rule, RuleMark } from '#backup/domain/rules/rule.js';
import { toolExcludableMarks } from '#backup/domain/rules/tool-excludable.js';
import { expandAroundSkips, type ListDirectory, type OpenedList } from '#backup/report/list/expand-around-skips.js';
import { parseRulesFile, RulesFileError } from '#backup/domain/rules/rules-file.js';
import type { SummaryResult } from '#backup/domain/summary/summary-result.js';
import type { PolicyOptions } from './cli-policy-options.js';
import { flatList, folderPath } from '#backup/report/list/flat-list.js';
import { childPath, parentPath } from '#backup/domain/paths/byte-path.js';

/** A wish that cannot be met as given (exit 2); the message says which and why. */
export class PolicyError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'PolicyError';
}

/** What the policy needs of the scan being prepared. */
export interface PolicyContext {
  /** The host directory of the scanned system. */
  readonly root: string;
  /** The scanned system, for --readable-by's lstat of what is to back up. */
  readonly fs: FileSystemPort;
  /** The package database, for a diff's evidence (which package a config file is from); asked on first use. */
  readonly database: () => PackageDatabase | undefined;
}

type Exclusion = (path: string, isDirectory: boolean) => boolean;

// --readable-by and --already-covered bring their code along: a run without them loads none of it.
/** `--readable-by`: the check, and how its report is written. */
export interface ReadableBy {
  /** Checks each entry on its way to the summary. */
  readonly check: ReadableByCheck;
  /** The report for the JSON. */
  readonly json: typeof readableByJson;
  /** The report for stderr. */
  readonly text: typeof readableByText;
}

/** `--already-covered`: the list, and the filter it applies. */
export interface Covered {
  /** The backup's own list. */
  readonly list: CoveredList;
  /** Drops what that list backs up already. */
  readonly remaining: typeof remainingAfterCovered;
}

/** The user's wishes, ready: made by {@link preparePolicy}, used once around one scan. */
export class Policy {
  constructor(
    private readonly options: PolicyOptions,
    private readonly engine: RuleEngine,
    /** The rules in force, in order. */
    readonly rules: readonly Rule[],
    private readonly readable: ReadableBy | undefined,
    private readonly covered: Covered | undefined,
    /** Lists a directory of the scanned system now, to open up folders around skipped paths. */
    private readonly listDirectory: ListDirectory,
  ) {
    this.foldsOver = toolExcludableMarks(rules);
  }

  private readonly expanded = new WeakMap<SummaryResult, OpenedList>();

  /** Skip rules a backup tool applies itself: what they left out does not keep a folder from being listed whole. */
  readonly foldsOver: (mark: RuleMark) => boolean;

  /** The scanner's exclusion: the user's patterns, then skip and dump rules. */
  isExcluded(base: Exclusion | undefined): Exclusion {
    return (path, isDirectory) => base?.(path, isDirectory) === true || this.engine.excludes(path, isDirectory);
  }

  /** Each entry on its way to the summary: rules applied, readability checked. */
  onEntry(entry: ScannedEntry): ScannedEntry {
    const ruled = this.engine.apply(entry);
    this.readable?.check.check(ruled);
    return ruled;
  }

  /**
   * The list to print: root's list, its folders opened up around what skip rules left out inside
   * them (a plain list carries no excludes), less what the covered list backs up already.
   */
  list(result: SummaryResult): string[] {
    const full = this.expandedList(result).list;
    return this.covered === undefined ? full : this.covered.remaining(full, this.covered.list.items);
  }

  /** The folders {@link list} shows bare that the tree does not (opened up around skipped paths). */
  openedFolders(result: SummaryResult): ReadonlySet<string> {
    return this.expandedList(result).bare;
  }

  /** Root's list opened up around skipped paths, made once per result (it lists directories again). */
  private expandedList(result: SummaryResult): OpenedList {
    let list = this.expanded.get(result);
    if (list === undefined) {
      const skipped = result.reported.filter((entry) => entry.rule !== undefined && this.foldsOver(entry.rule)).map((entry) => entry.path);
      list = expandAroundSkips(flatList(result.root), skipped, this.listDirectory);
      this.expanded.set(result, list);
    }
    return list;
  }


  /** What the JSON output gains: the list filtered as printed, readable-by and rules settings. */
  json(result: SummaryResult): {
    /** The listed paths, less those the covered list backs up. */
    list: ListedPathJson[];
    [key: string]: unknown;
  } {
    const full = flatList(result.root);
    const items = summaryJson(result).list;
    const byLine = new Map(full.map((line, index) => [line, items[index]!]));
    const list = this.list(result).map((line) => byLine.get(line) ?? openedItem(line, byLine));
    return {
      list,
      rules: {
        builtin: !this.options.noBuiltinRules,
        off: this.options.rulesOff,
        files: this.options.rulesFiles,
        plugins: this.options.rulesPlugins,
        inForce: this.rules.length,
      },
      ...(this.readable === undefined ? {} : { readableBy: this.readable.json(this.readable.check.report()) }),
      ...(this.covered === undefined
        ? {}
        : { alreadyCovered: { list: this.options.alreadyCovered, format: this.covered.list.format, items: this.covered.list.items.length, dropped: this.expandedList(result).list.length - list.length } }),
    };
  }

  /** Lines for stderr after the tree report. */
  reportText(result: SummaryResult): string {
    let text = this.readable === undefined ? '' : this.readable.text(this.readable.check.report());
    if (this.covered !== undefined) {
      const full = this.expandedList(result).list.length;
      const left = this.list(result).length;
      text += `already covered by ${this.options.alreadyCovered} (${this.covered.list.format} list, ${this.covered.list.items.length} items): ${full - left} of ${full} listed paths dropped, ${left} left to back up\n`;
    }
    return text;
  }
}

/** A line of a folder opened up around skipped paths: it follows the rule of the folder it came from. */
function openedItem(line: string, byLine: ReadonlyMap<string, ListedPathJson>): ListedPathJson {
  let rule: RuleMark | undefined;
  for (let at = parentPath(line.endsWith('/') ? line.slice(0, -1) : line); at !== undefined && rule === undefined; at = parentPath(at)) rule = byLine.get(folderPath(at))?.rule;
  return listedPathJson(line, rule);
}

/** Reads and checks every wish; throws {@link PolicyError}. */
export async function preparePolicy(options: PolicyOptions, context: PolicyContext): Promise<Policy> {
  const rules = await loadRules(options);
  const engine = new RuleEngine(rules, { packageOf: packageLookup(context.database) });
  const readable = options.readableBy === undefined ? undefined : await readableBy(options.readableBy, context);
  const covered = options.alreadyCovered === undefined ? undefined : await coveredBy(options.alreadyCovered);
  return new Policy(options, engine, rules, readable, covered, listDirectoryOf(context.fs));
}

/** The `--readable-by` check for `user`'s account on the scanned system. */
async function readableBy(user: string, context: PolicyContext): Promise<ReadableBy> {
  const [{ readableByAccount }, { UnknownUserError }, { ReadableByCheck }, { readableByJson, readableByText }] = await Promise.all([
    import('#backup/adapters/accounts/accounts-readable-by.js'),
    import('#backup/domain/readable-by/readable-by-account.js'),
    import('#backup/domain/readable-by/readable-by.js'),
    import('#backup/report/readable-by/readable-by-output.js'),
  ]);
  try {
    const account = readableByAccount(user, context.root);
    const check = new ReadableByCheck(account, (path) => {
      try {
        return context.fs.lstat(path);
      } catch {
        return undefined;
      }
    });
    return { check, json: readableByJson, text: readableByText };
  } catch (error) {
    if (error instanceof UnknownUserError) throw new PolicyError(`--readable-by: ${error.message}`);
    throw error;
  }
}

/** The `--already-covered` list read from `file`. */
async function coveredBy(file: string): Promise<Covered> {
  const [{ parseCoveredList, CoveredListError }, { remainingAfterCovered }] = await Promise.all([
    import('#backup/domain/already-covered/already-covered-list.js'),
    import('#backup/domain/already-covered/already-covered.js'),
  ]);
  try {
    return { list: parseCoveredList(readFileSync(file, 'latin1'), file), remaining: remainingAfterCovered };
  } catch (error) {
    if (error instanceof CoveredListError) throw new PolicyError(`--already-covered ${error.message}`);
    throw new PolicyError(`--already-covered ${file}: cannot read it (${errorCode(error)})`);
  }
}

/** A directory of the scanned system as listed now, each child's type from lstat where the listing has none. */
function listDirectoryOf(fs: FileSystemPort): ListDirectory {
  return (dir) => {
    try {
      return fs.list(dir).map((entry) => ({
        name: entry.name,
        directory: entry.type === 'directory' || (entry.type === 'unknown' && fs.lstat(childPath(dir, entry.name)).type === 'directory'),
      }));
    } catch {
      return undefined; // vanished or changed: the folder stays whole
    }
  };
}

async function loadRules(options: PolicyOptions): Promise<Rule[]> {
  const user: Rule[] = [];
  try {
    for (const file of options.rulesFiles) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new PolicyError(`--rules ${file}: cannot read it (${errorCode(error)})`);
      }
      user.push(...parseRulesFile(text, { file }));
    }
    if (options.rulesPlugins.length > 0) {
      const { loadRulePlugin } = await import('#backup/adapters/rule-plugins/rule-plugins.js'); // only with --rules-plugin
      for (const plugin of options.rulesPlugins) user.push(...(await loadRulePlugin(plugin, { homes: defaultHomes })));
    }
    return selectRules({ builtin: builtinRules(), user, noBuiltin: options.noBuiltinRules, off: options.rulesOff });
  } catch (error) {
    if (error instanceof RulesFileError) throw new PolicyError(`broken rules file, nothing applied:\n${error.message}`);
    if (error instanceof PluginError || error instanceof UnknownRuleNameError) throw new PolicyError(error.message);
    throw error;
  }
}

/** The package owning a config file, for a diff's evidence; built on first use. */
function packageLookup(database: () => PackageDatabase | undefined): (path: string) => string | undefined {
  let owners: Map<string, string> | undefined;
  return (path) => {
    if (owners === undefined) {
      owners = new Map();
      for (const f of database()?.files ?? []) if (f.flags.config) owners.set(f.path, f.package);
    }
    return owners.get(path);
  };
}
