/**
 * The rules file: one rule per line (format documented in docs/rules.md).
 *
 *     # comment line
 *     ACTION PATTERN [name=NAME] [when=WHEN] [tool=TOOL]  # note shown in the report
 *
 * ACTION is `skip`, `save`, `diff` or `dump`; PATTERN is a glob (glob.ts); a value or a pattern
 * holding spaces is written in double quotes, where `\"` and `\\` stand for `"` and `\`.
 * `when` (logged-out, shutdown, single-user) is for save, diff and dump; `tool` is required by
 * dump and allowed nowhere else. A file is parsed whole: any mistake rejects all of it, and every
 * mistake is named with its line and column.
 */
import { compileGlob, GlobError, globMatches } from './glob.js';
import { ruleActions, whenConditions, type Rule, type RuleAction, type WhenCondition } from './rule.js';

/** One mistake in a rules file, and where it is. */
export interface RulesFileProblem {
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, in characters. */
  readonly column: number;
  /** What is wrong, for the user. */
  readonly message: string;
}

/** A rules file that cannot be used; `message` lists every problem as `FILE:LINE:COLUMN: what`. */
export class RulesFileError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'RulesFileError';
  constructor(
    /** The file's name as given. */
    readonly file: string,
    /** Every mistake found, in file order. */
    readonly problems: readonly RulesFileProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
  }
}

interface Token {
  readonly text: string;
  /** 0-based column of the token's first character in the line. */
  readonly column: number;
  /** 0-based column where the value starts: after `key=` and any opening quote. */
  readonly valueColumn: number;
  readonly quoted: boolean;
}

class LineProblem extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const keys = ['name', 'when', 'tool'] as const;

/** Where a rules file's text came from and how to read it. */
export interface ParseRulesOptions {
  /** The file's name for messages and each rule's `source`. */
  readonly file: string;
  /** Home directory patterns `~` stands for (see glob.ts). */
  readonly homes?: readonly string[];
  /** Source to record instead of `FILE:LINE` (the built-in rules use `builtin`). */
  readonly source?: string;
}

/** Every rule in `text`, in order; throws {@link RulesFileError} listing every mistake. */
export function parseRulesFile(text: string, options: ParseRulesOptions): Rule[] {
  const rules: Rule[] = [];
  const problems: RulesFileProblem[] = [];
  const withoutBom = text.startsWith('\ufeff') ? text.slice(1) : text; // editors on Windows add one
  withoutBom.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    try {
      const rule = parseLine(line, index + 1, options);
      if (rule !== undefined) rules.push(rule);
    } catch (error) {
      const problem = error as LineProblem;
      problems.push({ line: index + 1, column: problem.column + 1, message: problem.message });
    }
  });
  if (problems.length > 0) throw new RulesFileError(options.file, problems);
  return rules;
}

function parseLine(line: string, lineNumber: number, options: ParseRulesOptions): Rule | undefined {
  const { tokens, note } = tokenize(line);
  if (tokens.length === 0) return undefined;
  const [actionToken, patternToken, ...settings] = tokens as [Token, ...Token[]];
  const action = actionToken.text as RuleAction;
  if (actionToken.quoted || !ruleActions.includes(action)) {
    throw new LineProblem(`unknown action ${JSON.stringify(actionToken.text)} (expected ${ruleActions.join(', ')})`, actionToken.column);
  }
  if (patternToken === undefined) throw new LineProblem(`${action} needs a pattern`, line.length);
  let glob;
  try {
    glob = compileGlob(patternToken.text, options.homes);
  } catch (error) {
    if (!(error instanceof GlobError)) throw error;
    throw new LineProblem(`bad pattern: ${error.message}`, patternToken.valueColumn + error.offset);
  }
  const values: Partial<Record<(typeof keys)[number], string>> = {};
  for (const token of settings) {
    const equals = token.quoted ? -1 : token.text.indexOf('=');
    const key = token.text.slice(0, equals) as (typeof keys)[number];
    if (equals <= 0 || !keys.includes(key)) {
      throw new LineProblem(`expected name=, when= or tool= (or # before a note), not ${JSON.stringify(token.text)}`, token.column);
    }
    if (values[key] !== undefined) throw new LineProblem(`${key}= given twice`, token.column);
    const value = token.text.slice(equals + 1);
    if (value === '') throw new LineProblem(`${key}= needs a value`, token.valueColumn);
    values[key] = value;
    checkSetting(action, key, value, token);
  }
  if (action === 'dump' && values.tool === undefined) {
    throw new LineProblem('dump needs tool=, the program that makes a consistent copy (e.g. tool=pg_dumpall)', line.length);
  }
  return {
    name: values.name ?? `${options.file}:${lineNumber}`,
    action,
    source: options.source ?? `${options.file}:${lineNumber}`,
    pattern: patternToken.text,
    matches: (target) => globMatches(glob, target.path, target.directory),
    within: glob,
    ...(glob.firstNames === undefined ? {} : { firstNames: glob.firstNames }),
    ...(values.when === undefined ? {} : { when: values.when as WhenCondition }),
    ...(values.tool === undefined ? {} : { tool: values.tool }),
    ...(note === undefined ? {} : { note }),
  };
}

function checkSetting(action: RuleAction, key: string, value: string, token: Token): void {
  if (key === 'when') {
    if (action === 'skip') throw new LineProblem('when= makes no sense for skip', token.column);
    if (!whenConditions.includes(value as WhenCondition)) {
      throw new LineProblem(`when= must be one of ${whenConditions.join(', ')}, not ${JSON.stringify(value)}`, token.valueColumn);
    }
  }
  if (key === 'tool' && action !== 'dump') throw new LineProblem('tool= is only for dump', token.column);
  if (key === 'name' && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
    throw new LineProblem('name= takes letters, digits, ".", "_" and "-"', token.valueColumn);
  }
}

/** Splits a line into tokens and the note after ` #`. */
function tokenize(line: string): { tokens: Token[]; note: string | undefined } {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    while (at < line.length && (line[at] === ' ' || line[at] === '\t')) at += 1;
    if (at >= line.length) return { tokens, note: undefined };
    if (line[at] === '#') {
      const note = line.slice(at + 1).trim();
      return { tokens, note: note === '' || tokens.length === 0 ? undefined : note };
    }
    const start = at;
    let text = '';
    let quoted = false;
    let valueColumn = start;
    while (at < line.length && line[at] !== ' ' && line[at] !== '\t') {
      if (line[at] !== '"') {
        text += line[at];
        at += 1;
        continue;
      }
      if (quoted) throw new LineProblem('only one quoted part per word', at);
      quoted = true;
      valueColumn = at + 1;
      const closed = readQuoted(line, at + 1);
      text += closed.text;
      at = closed.end;
    }
    if (!quoted) valueColumn = text.includes('=') ? start + text.indexOf('=') + 1 : start;
    tokens.push({ text, column: start, valueColumn, quoted: line[start] === '"' });
  }
}

/** The text of a quoted part starting after its opening `"`, and the index after its closing one. */
function readQuoted(line: string, from: number): { text: string; end: number } {
  let text = '';
  for (let at = from; at < line.length; at += 1) {
    const char = line[at]!;
    if (char === '"') return { text, end: at + 1 };
    if (char === '\\' && (line[at + 1] === '"' || line[at + 1] === '\\')) {
      text += line[at + 1];
      at += 1;
    } else {
      text += char;
    }
  }
  throw new LineProblem('unterminated "', from - 1);
}
