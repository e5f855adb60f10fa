/**
 * A roff man page (man(7) macros) from a program's `--help` text and a few hand-written sections:
 * the help text gives the synopsis, the description, the options and the exit status, so the page
 * cannot say anything else than `--help` does; {@link ManExtras} adds what a help text has no
 * room for (examples, files, related pages).
 * @module
 */
import type { HelpBlock, HelpItem, HelpText } from '#shared/help/help-text.js';

/** One example: a command line and what it does. */
export interface ManExample {
  /** The command, as typed. */
  readonly command: string;
  /** What it does. */
  readonly text: string;
}

/** A term and its explanation, for the FILES and ENVIRONMENT sections. */
export interface ManTerm {
  /** A path or a variable name. */
  readonly term: string;
  /** What it is for. */
  readonly text: string;
}

/** What a man page says beyond the help text. */
export interface ManExtras {
  /** The NAME line's description: a few words, no full stop. */
  readonly summary: string;
  /** The source/version footer, e.g. `cave 0.1.0`. */
  readonly source: string;
  /** EXAMPLES, in order. */
  readonly examples: readonly ManExample[];
  /** ENVIRONMENT, in order (optional). */
  readonly environment?: readonly ManTerm[];
  /** FILES, in order. */
  readonly files: readonly ManTerm[];
  /** SEE ALSO: page references such as `restic(1)`. */
  readonly seeAlso: readonly string[];
}

/** Help labels that are man page sections of their own rather than part of DESCRIPTION. */
const labelSections: Readonly<Record<string, string>> = { 'Exit status': 'EXIT STATUS' };

/** The man page, section 1, for `help` and `extras`. */
export function renderManPage(help: HelpText, extras: ManExtras): string {
  const { description, sections } = splitBlocks(help.blocks);
  const lines = [
    `.TH ${help.program.toUpperCase()} 1 "" "${quoted(extras.source)}" "User Commands"`,
    // No hyphenation: option names, paths and variables must stay whole to be copied; and so
    // lines are left-aligned rather than stretched.
    '.nh',
    '.ad l',
    '.SH NAME',
    `${text(help.program)} \\- ${text(extras.summary)}`,
    '.SH SYNOPSIS',
    synopsis(help),
    '.SH DESCRIPTION',
    ...description.flatMap(blockLines),
    ...sections.flatMap(([title, blocks]) => [`.SH ${title}`, ...blocks.flatMap(blockLines)]),
    ...extraSections(extras),
  ];
  return `${lines.join('\n')}\n`;
}

function splitBlocks(blocks: readonly HelpBlock[]): { description: HelpBlock[]; sections: [string, HelpBlock[]][] } {
  const description: HelpBlock[] = [];
  const sections: [string, HelpBlock[]][] = [];
  for (const block of blocks) {
    if (block.kind === 'list') sections.push([block.title.toUpperCase(), [{ ...block, title: '' }]]);
    else if (block.kind === 'labelled' && block.items.every((i) => i.label in labelSections)) {
      for (const item of block.items) sections.push([labelSections[item.label] as string, [{ kind: 'paragraph', text: item.text }]]);
    } else description.push(block);
  }
  return { description, sections };
}

function blockLines(block: HelpBlock): string[] {
  switch (block.kind) {
    case 'paragraph':
      return ['.PP', text(block.text)];
    case 'labelled':
      return block.items.flatMap((i) => ['.TP', `.B ${quotedArgument(`${i.label}:`)}`, text(i.text)]);
    case 'list':
      return block.items.flatMap((i) => ['.TP', itemTerm(i), text(i.text)]);
  }
}

function itemTerm(item: HelpItem): string {
  const names = item.names.map((n) => `\\fB${text(n)}\\fR`).join(', ');
  return item.argument === undefined ? names : `${names} \\fI${text(item.argument)}\\fR`;
}

function synopsis(help: HelpText): string {
  const args = help.synopsis.replace(/[A-Z][A-Z_]*(?:\.\.\.)?/g, (word) => `\0I${word}\0R`);
  return `.B ${help.program}\n${text(args).replace(/\0/g, '\\f')}`;
}

function extraSections(extras: ManExtras): string[] {
  const lines: string[] = [];
  if (extras.environment?.length) lines.push('.SH ENVIRONMENT', ...extras.environment.flatMap((e) => ['.TP', `.B ${quotedArgument(e.term)}`, text(e.text)]));
  if (extras.files.length) lines.push('.SH FILES', ...extras.files.flatMap((f) => ['.TP', `.I ${pathArgument(f.term)}`, text(f.text)]));
  if (extras.examples.length) {
    lines.push('.SH EXAMPLES');
    for (const example of extras.examples) lines.push('.PP', text(example.text), '.PP', '.RS 4', '.EX', ...example.command.split('\n').map(text), '.EE', '.RE');
  }
  if (extras.seeAlso.length) lines.push('.SH SEE ALSO', extras.seeAlso.map(pageReference).join(',\n'));
  return lines;
}

function pageReference(reference: string): string {
  const match = /^([\w.+-]+)\((\w+)\)$/.exec(reference);
  if (!match) throw new Error(`man page: not a page reference: ${JSON.stringify(reference)}`);
  return `.BR ${text(match[1] as string)} (${match[2]})`;
}

/**
 * Text for a roff input line: backslashes and minus signs escaped, and a leading `.` or `'`
 * protected so it is not read as a request.
 */
export function text(value: string): string {
  const escaped = value.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

function quoted(value: string): string {
  return text(value).replace(/"/g, '\\(dq');
}

/** A path that may break after each `/` (`\\:`), since long paths do not fit a line unhyphenated. */
function pathArgument(value: string): string {
  return quotedArgument(value).replace(/\//g, '/\\:');
}

function quotedArgument(value: string): string {
  return `"${quoted(value).replace(/^\\&/, '')}"`;
}
