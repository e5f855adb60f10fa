import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins } from '#test/support/child-env.js';
import { errorOf, helpOf, installed, run } from './support.js';

/** What bash's completion offers for `line` (the cursor at its end), from the installed file, in `cwd`. */
async function bashComplete(program: string, line: string, cwd: string): Promise<string[]> {
  const script = [
    'source "$1"',
    'read -r -a COMP_WORDS <<<"$2"',
    '[[ $2 == *" " ]] && COMP_WORDS+=("")',
    'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$2 COMP_POINT=${#2}',
    'fn=$(complete -p "$3" | sed -E "s/.*-F ([^ ]+).*/\\1/")',
    '"$fn" "$3" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', script, 'bash', installed(`completions/bash/${program}`), line.replace(/=/g, ' = '), program], { cwd });
  return stdout.split('\n').filter(Boolean).sort();
}

/** The words an error message lists after `prefix`, e.g. `must be auto, rpm, dpkg or none`. */
function listed(message: string, pattern: RegExp): string[] {
  const match = pattern.exec(message);
  if (!match) throw new Error(`no list in ${message}`);
  return (match[1] as string).split(/, | or /).sort();
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cave-complete-'));
  await mkdir(join(cwd, 'images'));
  await writeFile(join(cwd, 'my-rules'), '');
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('bash completion of what-to-backup', () => {
  const complete = (line: string) => bashComplete('what-to-backup', line, cwd);

  it('offers the package databases the program accepts after --package-db, also as --package-db=', async () => {
    const accepted = listed(await errorOf('whatToBackup', ['--package-db', 'x']), /must be (.*), not/);
    expect(await complete('what-to-backup --package-db ')).toEqual(accepted);
    expect(await complete('what-to-backup --package-db=')).toEqual(accepted);
    expect(await complete('what-to-backup --package-db=d')).toEqual(['dpkg']);
  });

  it('offers the modes --verify accepts', async () => {
    expect(await complete('what-to-backup --verify ')).toEqual(listed(await errorOf('whatToBackup', ['--verify', 'x']), /must be (.*), not/));
  });

  it('offers the built-in rule names the program knows after --rules-off', async () => {
    const known = listed(await errorOf('whatToBackup', ['--rules-off', 'nothing-by-this-name', '--package-db', 'none', '/nowhere']), /known: (.*)\)/);
    expect(await complete('what-to-backup --rules-off ')).toEqual(known);
    expect(await complete('what-to-backup --rules-off pa')).toEqual(['package-caches', 'package-db']);
  });

  it('completes option names, every long option of --help among them', async () => {
    expect(await complete('what-to-backup --ex')).toEqual(['--exclude-from', '--excludes-to']);
    const longOptions = [...(await helpOf('whatToBackup')).matchAll(/^ {2,6}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string).sort();
    expect(await complete('what-to-backup -')).toEqual(longOptions);
  });

  it('completes file names where a file is expected and folders where a folder is', async () => {
    expect(await complete('what-to-backup --rules ')).toEqual(['images', 'my-rules']);
    expect(await complete('what-to-backup --root ')).toEqual(['images']);
    expect(await complete('what-to-backup --json ')).toEqual(['images']);
  });
});

describe('bash completion of telepathy-cave', () => {
  const complete = (line: string) => bashComplete('telepathy-cave', line, cwd);

  it('offers the commands first', async () => {
    expect(await complete('telepathy-cave ')).toEqual(['demo', 'install', 'run']);
  });

  it('offers only the options of the command typed', async () => {
    expect(await complete('telepathy-cave install --')).toEqual(['--completions', '--help', '--prefix', '--user', '--verbose', '--version']);
    expect(await complete('telepathy-cave --')).toEqual(['--completions', '--help', '--idle-exit', '--persist', '--verbose', '--version']);
    expect(await complete('telepathy-cave install --prefix ')).toEqual(['images']);
  });
});

describe('fish completion', () => {
  const complete = async (program: string, line: string) => {
    const { stdout } = await run('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', installed(`completions/fish/${program}.fish`), line], { cwd });
    return stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0] as string).sort();
  };

  it('offers the package databases, the rule names and the options of what-to-backup', async () => {
    expect(await complete('what-to-backup', 'what-to-backup --package-db ')).toEqual(['auto', 'dpkg', 'none', 'rpm']);
    expect(await complete('what-to-backup', 'what-to-backup --rules-off pa')).toEqual(['package-caches', 'package-db']);
    expect(await complete('what-to-backup', 'what-to-backup --ex')).toEqual(['--exclude-from', '--excludes-to']);
  });

  it('offers telepathy-cave\'s commands, then that command\'s options', async () => {
    expect(await complete('telepathy-cave', 'telepathy-cave ')).toEqual(['demo', 'install', 'run']);
    expect(await complete('telepathy-cave', 'telepathy-cave install --')).toEqual(['--completions', '--help', '--prefix', '--user', '--verbose', '--version']);
  });
});

describe.each(['what-to-backup', 'telepathy-cave'])('zsh completion of %s', (program) => {
  it('is a #compdef file zsh parses', async () => {
    const file = installed(`completions/zsh/_${program}`);
    const { stderr } = await run('zsh', ['-n', file]);
    expect(stderr).toBe('');
    const { stdout } = await run('zsh', ['-f', '-c', 'head -1 "$1"', 'zsh', file]);
    expect(stdout).toBe(`#compdef ${program}\n`);
  });
});

describe('--completions SHELL', () => {
  it.each([
    ['whatToBackup', 'what-to-backup', 'bash', 'bash/what-to-backup'],
    ['whatToBackup', 'what-to-backup', 'zsh', 'zsh/_what-to-backup'],
    ['whatToBackup', 'what-to-backup', 'fish', 'fish/what-to-backup.fish'],
    ['telepathyCave', 'telepathy-cave', 'bash', 'bash/telepathy-cave'],
    ['telepathyCave', 'telepathy-cave', 'zsh', 'zsh/_telepathy-cave'],
    ['telepathyCave', 'telepathy-cave', 'fish', 'fish/telepathy-cave.fish'],
  ] as const)('%s prints the %s script the build installs', async (program, _bin, shell, file) => {
    const { stdout } = await run(process.execPath, [bins[program], '--completions', shell]);
    expect(stdout).toBe(await readFile(installed(`completions/${file}`), 'utf8'));
  });

  it('is completed itself, with the shells it knows, and refuses others', async () => {
    expect(await bashComplete('what-to-backup', 'what-to-backup --completions ', cwd)).toEqual(['bash', 'fish', 'zsh']);
    expect(await bashComplete('what-to-backup', 'what-to-backup --for ', cwd)).toEqual(['borg', 'restic', 'rsync', 'tar']);
    expect(await errorOf('whatToBackup', ['--completions', 'tcsh'])).toContain('--completions must be bash, zsh or fish, not "tcsh"');
    expect(await errorOf('telepathyCave', ['--completions', 'tcsh'])).toContain('--completions must be bash, zsh or fish, not "tcsh"');
  });
});
