/** A fenced code block in a Markdown file. */
export interface FencedBlock {
  /** The info string's first word: `ts`, `console`, `sh`... */
  readonly lang: string;
  /** Words after the language, e.g. `console bus` → ['bus']. */
  readonly tags: readonly string[];
  readonly text: string;
  /** 1-based line of the opening fence, for error messages. */
  readonly line: number;
}

/** Every fenced block (``` or ~~~) in a Markdown text, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, , fence, lang, rest] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence!)) body.push(lines[j++]!);
    blocks.push({ lang: lang ?? '', tags: (rest ?? '').split(/\s+/).filter(Boolean), text: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** One shell command shown in a `console` block and the output shown under it. */
export interface ShownCommand {
  readonly command: string;
  readonly output: string;
}

/**
 * Split a `console` block into commands (lines starting `$ `, continued by a trailing `\`) and
 * the output shown after each.
 */
export function shownCommands(block: string): ShownCommand[] {
  const commands: { command: string; output: string[] }[] = [];
  let continuing = false;
  for (const line of block.split('\n')) {
    const current = commands.at(-1);
    if (continuing && current) {
      current.command += `\n${line}`;
    } else if (line.startsWith('$ ')) {
      commands.push({ command: line.slice(2), output: [] });
    } else if (current) {
      current.output.push(line);
      continue;
    } else {
      throw new Error(`output before any command: ${line}`);
    }
    continuing = line.endsWith('\\');
  }
  return commands.map((c) => ({ command: c.command, output: c.output.join('\n') }));
}

/**
 * Does `actual` match the output a document shows? A line `...` in the shown output stands for
 * any number of lines, and `[...]` inside a line for any text: documents show what matters and
 * elide what varies (temporary paths, timings).
 */
export function outputMatches(shown: string, actual: string): boolean {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = shown
    .trimEnd()
    .split('\n')
    .map((line) => (line === '...' ? '(?:[^\\n]*\\n)*?' : `${line.split('[...]').map(escape).join('[^\\n]*')}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(`${actual.trimEnd()}\n`);
}
