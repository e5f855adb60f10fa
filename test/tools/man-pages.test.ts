import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHelpText } from '#shared/help/help-text.js';
import { renderManPage, type ManExtras } from '#shared/help/man-page.js';
import { repoRoot } from '#test/support/child-env.js';
import { helpOf, installed, run } from './support.js';

const programs = ['what-to-backup', 'telepathy-cave'] as const;
const binOf = { 'what-to-backup': 'whatToBackup', 'telepathy-cave': 'telepathyCave' } as const;

/** The page as `man` shows it on an 80-column terminal, and what it said on stderr. */
async function man(file: string): Promise<{ text: string; warnings: string }> {
  const { stdout, stderr } = await run('man', ['--warnings', '-l', file], { env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '', LANG: 'C.UTF-8' } });
  return { text: stdout, warnings: stderr };
}

/** Words of `text` with hyphenation, typographic dashes and spacing undone, for comparing prose. */
function words(text: string): string {
  return text.replace(/[\u2010\u2212]/g, '-').replace(/-\n\s*/g, '-').replace(/\s+/g, ' ').trim();
}

describe.each(programs)('%s(1)', (program) => {
  const file = installed(`man/${program}.1`);

  it('is installed through package.json\'s man field', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { man: string[] };
    expect(manifest.man).toContain(`./dist/man/${program}.1`);
  });

  it('renders with man -l and groff -ww without a single warning', async () => {
    const { text, warnings } = await man(file);
    expect(warnings).toBe('');
    expect(text).toMatch(new RegExp(`^${program.toUpperCase()}\\(1\\)`));
    const groff = await run('groff', ['-ww', '-z', '-man', '-Tutf8', file]);
    expect(groff.stderr).toBe('');
  });

  it('says everything --help says: the usage, each option and command with its text, the exit status', async () => {
    const help = parseHelpText(await helpOf(binOf[program]));
    const page = words((await man(file)).text);
    expect(page).toContain(`${program} ${help.synopsis}`);
    for (const block of help.blocks) {
      const texts = block.kind === 'paragraph' ? [block.text] : block.items.map((i) => i.text);
      for (const text of texts) expect(page).toContain(words(text));
      if (block.kind === 'list') for (const item of block.items) expect(page).toContain([item.names.join(', '), item.argument].filter(Boolean).join(' '));
    }
  });

  it('has the sections a man page has, the hand-written ones too', async () => {
    const headings = (await man(file)).text.split('\n').filter((l) => /^[A-Z][A-Z ]+$/.test(l));
    expect(headings).toEqual(expect.arrayContaining(['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'FILES', 'EXAMPLES', 'SEE ALSO']));
  });
});

describe('the roff renderer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cave-man-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const extras: ManExtras = { summary: 'test it', source: 'cave 0', examples: [{ command: "x --dot '.x'", text: 'An example.' }], files: [], seeAlso: ['man(1)'] };

  it('keeps lines starting with a dot or a quote, and backslashes, as text rather than requests', async () => {
    const help = ['Usage: x [OPTIONS]', '', 'Names are escaped as \\n and \\xHH, like', ".this line and 'this one.", '', 'Options:', '  -a, --all FILE  read FILE', '                  .js or .ts', ''].join('\n');
    const path = join(dir, 'x.1');
    await writeFile(path, renderManPage(parseHelpText(help), extras));
    const { text, warnings } = await man(path);
    expect(warnings).toBe('');
    expect(words(text)).toContain("Names are escaped as \\n and \\xHH, like .this line and 'this one.");
    expect(words(text)).toContain('read FILE .js or .ts');
    expect(words(text)).toContain("x --dot '.x'");
  });

  it('refuses a help text it cannot read rather than dropping a line', () => {
    expect(() => parseHelpText('Usage: x\n\nOptions:\n  what is this\n')).toThrow(/cannot read/);
    expect(() => parseHelpText('x [OPTIONS]\n')).toThrow(/Usage/);
  });
});
