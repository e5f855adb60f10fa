/**
 * A program's `--help` text, read back into its parts, so the man page and the shell completions
 * are made from the one text users already see. The text follows the house layout:
 *
 * - `Usage: PROGRAM ARGS`, then paragraphs separated by blank lines;
 * - `Label: text` blocks (`stdout:`, `Exit status:`), continued by indented lines;
 * - `Heading:` alone on a line, then items: `  -x, --long ARG  text` (options) or
 *   `  name  text` (commands), continued by lines indented to the text's column.
 * @module
 */

/** One option or command of a list section. */
export interface HelpItem {
  /** For options, the flags (`-0`, `--null`); for commands, the names (`(none)`, `run`). */
  readonly names: readonly string[];
  /** The option's argument placeholder (`FILE`, `DIR`); absent for flags and commands. */
  readonly argument?: string;
  /** What it does, as one line. */
  readonly text: string;
  /** The command an option belongs to, from a leading `(run)` in its text. */
  readonly command?: string;
}

/** A labelled paragraph, e.g. `stdout: the list...` or `Exit status: 0 when...`. */
export interface HelpLabelled {
  /** The label, without its colon. */
  readonly label: string;
  /** The paragraph, as one line. */
  readonly text: string;
}

/** One block of the help text, in order. */
export type HelpBlock =
  | {
      /** Plain prose. */
      readonly kind: 'paragraph';
      /** The paragraph, as one line. */
      readonly text: string;
    }
  | {
      /** `Label: text` paragraphs. */
      readonly kind: 'labelled';
      /** The paragraphs, in order. */
      readonly items: readonly HelpLabelled[];
    }
  | {
      /** A `Heading:` and its options or commands. */
      readonly kind: 'list';
      /** The heading, without its colon (`Options`, `Commands`). */
      readonly title: string;
      /** The items, in order. */
      readonly items: readonly HelpItem[];
    };

/** A whole help text, parsed. */
export interface HelpText {
  /** The program's name, from the usage line. */
  readonly program: string;
  /** What follows the name on the usage line (`[OPTIONS] [ROOT...]`). */
  readonly synopsis: string;
  /** The blocks after the usage line. */
  readonly blocks: readonly HelpBlock[];
}

const optionLine = /^ {1,8}((?:-[\w], )?--?[\w-]+)(?: ([A-Z][A-Z_]*))?(?:\s+(\S.*))?$/;
const commandLine = /^ {1,8}(\S(?:.*?\S)?) {2,}(\S.*)$/;
const labelLine = /^([A-Za-z]\w*(?: \w+)?): (\S.*)$/;
/** Items start within this many spaces; a line indented further continues the item above. */
const continuationIndent = 10;
const headingLine = /^([A-Z][\w ]*):$/;

/** Parses `text` (what `PROGRAM --help` prints); throws on a line it cannot place. */
export function parseHelpText(text: string): HelpText {
  const [usage, ...rest] = paragraphs(text);
  const usageMatch = /^Usage: (\S+) ?(.*)$/.exec(usage?.[0] ?? '');
  if (usage === undefined || usageMatch === null || usage.length !== 1) throw new Error('help text: the first line must be "Usage: PROGRAM ARGS" alone');
  return { program: usageMatch[1] as string, synopsis: usageMatch[2] as string, blocks: rest.map(parseBlock) };
}

/** The option items of every list section, in order. */
export function helpOptions(help: HelpText): HelpItem[] {
  return help.blocks.flatMap((b) => (b.kind === 'list' ? b.items.filter((i) => i.names.some((n) => n.startsWith('-'))) : []));
}

/** The command items (list sections titled `Commands`), in order. */
export function helpCommands(help: HelpText): HelpItem[] {
  return help.blocks.flatMap((b) => (b.kind === 'list' && b.title === 'Commands' ? b.items : []));
}

function paragraphs(text: string): string[][] {
  const blocks: string[][] = [[]];
  for (const line of text.replace(/\n+$/, '').split('\n')) {
    if (line.trim() === '') blocks.push([]);
    else blocks[blocks.length - 1]!.push(line.trimEnd());
  }
  return blocks.filter((b) => b.length > 0);
}

function parseBlock(lines: string[]): HelpBlock {
  const first = lines[0] as string;
  const heading = headingLine.exec(first);
  if (heading) return { kind: 'list', title: heading[1] as string, items: listItems(heading[1] as string, lines.slice(1)) };
  if (labelLine.test(first)) return { kind: 'labelled', items: labelledItems(lines) };
  if (lines.some((l) => l.startsWith(' '))) throw new Error(`help text: an indented line in a paragraph: ${JSON.stringify(first)}`);
  return { kind: 'paragraph', text: join(lines) };
}

function labelledItems(lines: string[]): HelpLabelled[] {
  const items: { label: string; lines: string[] }[] = [];
  for (const line of lines) {
    const match = labelLine.exec(line);
    const last = items[items.length - 1];
    if (match && !line.startsWith(' ')) items.push({ label: match[1] as string, lines: [match[2] as string] });
    else if (last) last.lines.push(line);
  }
  return items.map((i) => ({ label: i.label, text: join(i.lines) }));
}

function listItems(title: string, lines: string[]): HelpItem[] {
  const items: { names: string[]; argument?: string; lines: string[] }[] = [];
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const last = items[items.length - 1];
    if (last && indent >= continuationIndent) {
      last.lines.push(line);
      continue;
    }
    const item = title === 'Commands' ? commandItem(line) : optionItem(line);
    if (item === undefined) throw new Error(`help text: cannot read ${JSON.stringify(line)} under ${title}`);
    items.push(item);
  }
  return items.map(({ lines: text, ...item }) => withCommand({ ...item, text: join(text) }));
}

function optionItem(line: string): { names: string[]; argument?: string; lines: string[] } | undefined {
  const match = optionLine.exec(line);
  if (!match) return undefined;
  const names = (match[1] as string).split(', ');
  return { names, ...(match[2] === undefined ? {} : { argument: match[2] }), lines: match[3] === undefined ? [] : [match[3]] };
}

function commandItem(line: string): { names: string[]; lines: string[] } | undefined {
  const match = commandLine.exec(line);
  return match ? { names: (match[1] as string).split(', '), lines: [match[2] as string] } : undefined;
}

function withCommand(item: HelpItem): HelpItem {
  const match = /^\((\w+)\) /.exec(item.text);
  return match ? { ...item, command: match[1] as string } : item;
}

function join(lines: readonly string[]): string {
  return lines.map((l) => l.trim()).join(' ');
}
