import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';
import { copyProgramForAllUsers, type ProgramCopy } from '#test/support/program-copy.js';

const run = promisify(execFile);
let top: string;
let program: ProgramCopy;

// Tests run as root, and root reads a chmod 000 file anyway. So the CLI runs here as the
// unprivileged user `nobody` (through setpriv), for whom such files really are unreadable.
beforeAll(() => {
  // A copy `nobody` can reach, wherever the checkout lives (a 0700 home is out of its reach).
  program = copyProgramForAllUsers();
  top = mkdtempSync(join(tmpdir(), 'cave-unreadable-'));
  chmodSync(top, 0o755);
  mkdirSync(join(top, 'home/me/locked'), { recursive: true });
  writeFileSync(join(top, 'home/me/open.txt'), 'readable');
  writeFileSync(join(top, 'home/me/secret.txt'), 'not for nobody');
  writeFileSync(join(top, 'home/me/locked/inside'), 'hidden');
  chmodSync(join(top, 'home/me/secret.txt'), 0o000);
  chmodSync(join(top, 'home/me/locked'), 0o000);
});

afterAll(() => {
  rmSync(top, { recursive: true, force: true });
  program.remove();
});

describe('what-to-backup run by an unprivileged user', () => {
  it('reports unreadable files and folders, keeps them out of saved folders, and exits 1', async () => {
    const coverage = mkdtempSync(join(tmpdir(), 'cave-cov-'));
    chmodSync(coverage, 0o777);
    const args = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, program.whatToBackup];
    let result: { code: number; stdout: string; stderr: string };
    try {
      const r = await run('setpriv', [...args, '--root', top, '--package-db', 'none', '-0'], { env: childEnv({ NODE_V8_COVERAGE: coverage }) });
      result = { code: 0, ...r };
    } catch (error) {
      result = error as { code: number; stdout: string; stderr: string };
    } finally {
      rmSync(coverage, { recursive: true, force: true });
    }
    expect(result.code).toBe(1);
    const listed = result.stdout.split('\0').slice(0, -1);
    expect(listed).toContain('/home/me/open.txt');
    expect(listed.some((l) => l.endsWith('/') && '/home/me/secret.txt'.startsWith(l))).toBe(false);
    expect(listed).not.toContain('/home/me/secret.txt');
    expect(result.stderr).toContain('2 entries could not be read');
    expect(result.stderr).toMatch(/secret\.txt/);
    expect(result.stderr).toMatch(/locked/);
  });
});

describe('what-to-backup run by root without the DAC capabilities', () => {
  // Root, but access(2) says no to a 000 file: the native walker (the checkout's build, which the
  // copy above lacks) must ask it, not assume root reads everything.
  it('still asks access(2), and reports the same files and folders unreadable', async () => {
    const drop = '-dac_override,-dac_read_search';
    const args = [`--inh-caps=${drop}`, `--bounding-set=${drop}`, process.execPath, bins.whatToBackup, '--root', top, '--package-db', 'none', '-0'];
    const result = await run('setpriv', args, { env: childEnv() }).then(
      (r) => ({ code: 0, ...r }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    const listed = result.stdout.split('\0').slice(0, -1);
    expect(listed).toContain('/home/me/open.txt');
    expect(listed).not.toContain('/home/me/secret.txt');
    expect(result.stderr).toContain('2 entries could not be read');
    expect(result.stderr).toMatch(/unreadable\s+\/home\/me\/secret\.txt\s+EACCES/);
    expect(result.stderr).toMatch(/unreadable\s+\/home\/me\/locked\s+EACCES/);
  });
});
