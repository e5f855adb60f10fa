/** Unexpected failures end what-to-backup with status 2 and one clear line (issue #16, defect 3). */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';
import { RpmDatabase } from '#backup/adapters/rpm/rpm-database.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';

const run = promisify(execFile);
let top: string;

async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, [bins.whatToBackup, ...args], { env: childEnv({ XDG_CACHE_HOME: join(top, 'cache') }) });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

/** Runs the program in-process with a stdout that fails, as a closed pipe or full disk does. */
async function withFailingStdout(env: Record<string, string>) {
  let stderr = '';
  const code = await whatToBackup(['--root', join(top, 'sys'), '--package-db', 'none', '--no-cache'], {
    stdout: {
      write: () => {
        throw new Error('write EIO');
      },
    },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
  });
  return { code, stderr };
}

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-cli-errors-'));
  mkdirSync(join(top, 'sys/home/me'), { recursive: true });
  writeFileSync(join(top, 'sys/home/me/notes'), 'n');
  writeFileSync(join(top, 'throws.mjs'), "export default () => { throw new Error('no config for you'); };\n");
  writeFileSync(join(top, 'match-throws.mjs'), "export default [{ name: 'picky', action: 'skip', match: (t) => { throw new Error('cannot decide ' + t.path); } }];\n");
  writeFileSync(join(top, 'rpm'), "#!/bin/sh\ncase \"$*\" in *--eval*) echo /var/lib/rpm ;; *) printf 'P\\tbash\\nX\\tnonsense\\n' ;; esac\n");
  chmodSync(join(top, 'rpm'), 0o755);
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('what-to-backup failures', () => {
  it('ends an unexpected error with status 2 and one line, not a stack trace', async () => {
    const r = await withFailingStdout({});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^what-to-backup: internal error: write EIO\b/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('shows the stack of an unexpected error when WHAT_TO_BACKUP_DEBUG is set', async () => {
    const r = await withFailingStdout({ WHAT_TO_BACKUP_DEBUG: '1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\s+at /m);
  });

  it('reports a plugin whose default export throws as a plugin error, status 2', async () => {
    const r = await cli(['--root', join(top, 'sys'), '--package-db', 'none', '--rules-plugin', join(top, 'throws.mjs')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('throws.mjs');
    expect(r.stderr).toContain('no config for you');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("reports a plugin rule whose match throws during the scan, naming the rule and the path, status 2", async () => {
    const r = await cli(['--root', join(top, 'sys'), '--package-db', 'none', '--rules-plugin', join(top, 'match-throws.mjs')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/match-throws\.mjs.*picky.*cannot decide/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('turns rpm output it cannot parse into a package database error that says so', async () => {
    const load = new RpmDatabase({ root: join(top, 'sys'), dbpath: '/var/lib/rpm', rpm: join(top, 'rpm') }).load();
    await expect(load).rejects.toBeInstanceOf(PackageDatabaseError);
    await expect(load).rejects.toThrow(/cannot parse rpm's answer.*unexpected record/);
  });
});
