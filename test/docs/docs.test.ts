import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { bins, childEnv, repoRoot } from '../support/child-env.js';
import { copyProgramForAllUsers, type ProgramCopy } from '../support/program-copy.js';
import { fencedBlocks, outputMatches, shownCommands } from './markdown-blocks.js';
import { runShown } from './run-shown.js';

async function markdownFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'api') found.push(...(await markdownFiles(path)));
    else if (entry.name.endsWith('.md')) found.push(path);
  }
  return found;
}

async function exampleSources(dir: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|py|sh)$/.test(entry.name)) texts.push(await readFile(join(entry.parentPath, entry.name), 'utf8'));
  }
  return texts.join('\n');
}

const documents = [join(repoRoot, 'README.md'), ...(await markdownFiles(join(repoRoot, 'docs')))];
let binDir: string;
let program: ProgramCopy;
let examples: string;

beforeAll(async () => {
  // The programs on PATH under their installed names, as `npm install -g` would put them.
  binDir = await mkdtemp(join(tmpdir(), 'cave-docs-bin-'));
  await chmod(binDir, 0o755);
  await symlink(bins.telepathyCave, join(binDir, 'telepathy-cave'));
  // what-to-backup runs as root from the checkout (its coverage counts) and as any other user
  // (the guide's setpriv example) from a copy that user can reach wherever the checkout lives;
  // the copy's coverage would map to no source, and the checkout's coverage folder may be out of reach.
  program = copyProgramForAllUsers();
  const byUser = `#!/bin/sh\nif [ "$(id -u)" = 0 ]; then exec "${process.execPath}" "${bins.whatToBackup}" "$@"; fi\nunset NODE_V8_COVERAGE\nexec "${process.execPath}" "${program.whatToBackup}" "$@"\n`;
  await writeFile(join(binDir, 'what-to-backup'), byUser, { mode: 0o755 });
  // A sample is either a whole example under docs/examples/ (run by a test in test/docs/) or an
  // excerpt of the real source in src/ (compiled and tested with everything else).
  examples = [await exampleSources(join(repoRoot, 'docs', 'examples')), await exampleSources(join(repoRoot, 'src'))].join('\n');
});
afterAll(async () => {
  await rm(binDir, { recursive: true, force: true });
  program.remove();
});

describe.each(documents.map((d) => [relative(repoRoot, d), d]))('%s', (_name, file) => {
  it('shows only code that is a real, compiled and tested example file', async () => {
    const blocks = fencedBlocks(await readFile(file, 'utf8')).filter((b) => ['ts', 'typescript', 'python', 'bash'].includes(b.lang));
    const strays = blocks.filter((b) => !examples.includes(b.text)).map((b) => `line ${b.line}`);
    expect(strays, 'code blocks not found verbatim under docs/examples/ or src/').toEqual([]);
  });

  it('links only to files that exist', async () => {
    const text = await readFile(file, 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((target) => !existsSync(join(dirname(file), decodeURI(target.split('#')[0]!))));
    expect(missing, 'relative links to missing files').toEqual([]);
  });

  it('names only paths of this repository that exist', async () => {
    // A page that names `src/...` after the code moved sends a newcomer to the wrong room.
    const text = await readFile(file, 'utf8');
    const named = [...text.matchAll(/`((?:src|sim|spec|test|docs|data|\.ci)\/[^`\s]*)`/g)].map((m) => m[1]!);
    // Placeholders and generated output (docs/api, made by npm run docs) aside.
    const concrete = named.filter((path) => !/[*<>{}]|\.\.\.|^docs\/api\//.test(path));
    expect(concrete.filter((path) => !existsSync(join(repoRoot, path.replace(/:.*$/, '')))), 'named paths that do not exist').toEqual([]);
  });

  // Each console block is a test of its own: blocks share nothing (own folder, own bus), so they
  // run side by side.
  const consoleBlocks = fencedBlocks(readFileSync(file, 'utf8')).filter((b) => b.lang === 'console');
  it.concurrent.each(consoleBlocks.map((b) => [b.line, b] as const))('runs the commands at line %i as shown', async (_line, block) => {
    const bus: PrivateBus | undefined = block.tags.includes('bus') ? await startPrivateBus({ env: childEnv() }) : undefined;
    const cwd = await mkdtemp(join(tmpdir(), 'cave-docs-'));
    try {
      // The block's temporary folder is also the reader's home: `install --user` and caches land
      // there. On a private bus, the user's D-Bus service folder is the bus's own, as
      // ~/.local/share/dbus-1/services is for a real session bus.
      const dataHome = join(cwd, '.local', 'share');
      await mkdir(join(dataHome, 'dbus-1'), { recursive: true });
      if (bus) await symlink(bus.serviceDir, join(dataHome, 'dbus-1', 'services'));
      const env = childEnv({
        PATH: `${binDir}:${process.env.PATH ?? ''}`,
        CAVE_REPO: repoRoot,
        HOME: cwd,
        XDG_DATA_HOME: dataHome,
        XDG_CACHE_HOME: join(cwd, '.cache'),
        XDG_CONFIG_HOME: join(cwd, '.config'),
        ...(bus ? { DBUS_SESSION_BUS_ADDRESS: bus.address, CAVE_SERVICE_DIR: bus.serviceDir } : {}),
      });
      for (const { command, output } of shownCommands(block.text)) {
        const result = await runShown(command, { cwd, env });
        const where = `${relative(repoRoot, file)} line ${block.line}: $ ${command}`;
        expect(outputMatches(output, result.output), `${where}\n--- printed:\n${result.output}`).toBe(true);
        // A failure a document means to show, it shows: `...; echo "exit status $?"`.
        expect(result.status, `${where}\nexited ${result.status}; show an expected failure with ; echo "exit status $?"`).toBe(0);
      }
    } finally {
      await rm(cwd, { recursive: true, force: true });
      await bus?.stop();
    }
  }, 120_000);
});
