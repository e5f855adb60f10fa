import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
let top: string;

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [bins.whatToBackup, ...args], { env: childEnv({ XDG_CACHE_HOME: join(top, 'cache'), ...env }) });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-cli-'));
  mkdirSync(join(top, 'sys/home/me/.cache'), { recursive: true });
  mkdirSync(join(top, 'sys/var/tmp'), { recursive: true });
  writeFileSync(join(top, 'sys/home/me/notes'), 'n');
  writeFileSync(join(top, 'sys/home/me/.cache/big'), 'b');
  writeFileSync(join(top, 'sys/var/tmp/x.tmp'), 't');
  writeFileSync(join(top, 'exclude'), '# leave out caches\n.cache/\n*.tmp\n');
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('what-to-backup command line', () => {
  it('leaves out --exclude-from patterns and reports them, without a package database', async () => {
    const r = await cli(['--root', join(top, 'sys'), '--package-db', 'none', '--no-builtin-rules', '--exclude-from', join(top, 'exclude'), '/home', '/var']);
    expect(r.code).toBe(0);
    // The folders themselves are new (listed bare: their own metadata); what is inside was left out.
    expect(r.stdout).toBe('/home\n/home/me\n/home/me/notes\n/var\n/var/tmp\n');
    expect(r.stderr).toContain('everything found is listed as new');
    expect(r.stderr).toMatch(/\.cache/);
  });

  it('shows a progress line on a terminal only', async () => {
    const many = join(top, 'many');
    mkdirSync(join(many, 'data'), { recursive: true });
    for (let i = 0; i < 1100; i++) writeFileSync(join(many, 'data', `f${i}`), '');
    const args = ['--root', many, '--package-db', 'none'];
    const piped = await cli(args);
    expect(piped.stderr).not.toContain('\r');
    // script(1) gives the program a pseudo-terminal for stdin, stdout and stderr.
    const command = [process.execPath, bins.whatToBackup, ...args].map((a) => `'${a}'`).join(' ');
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { env: childEnv({ XDG_CACHE_HOME: join(top, 'cache'), COLUMNS: '60' }) });
    expect(stdout).toMatch(/\r\x1b\[K\d+ entries {2}\/data\/f\d+/);
  });

  it('says clearly when rpm is not installed', async () => {
    const r = await cli(['--root', join(top, 'sys'), '--package-db', 'rpm'], { PATH: '/nonexistent' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rpm is not installed.*--package-db none/);
  });

  it('says plainly when auto finds no package database, and lists everything', async () => {
    const r = await cli(['--root', join(top, 'sys'), '/home']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`no rpm or dpkg database found in ${join(top, 'sys')}: everything found is listed as new`);
  });

  it.each([
    [['--root', '/no/such/dir'], /--root \/no\/such\/dir is not a directory/],
    [['--package-db', 'none', '--exclude-from', '/no/such/file'], /cannot read --exclude-from/],
    [['--bogus'], /Unknown option.*\nTry 'what-to-backup --help'/],
  ])('exits 2 on %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
