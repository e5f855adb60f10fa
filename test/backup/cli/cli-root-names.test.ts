/** ROOT arguments with names that are not ASCII, or not UTF-8 at all (issue #16, defect 1). */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
let top: string;

/** Runs the built program through bash, so raw bytes reach its argv as a shell gives them. */
async function cli(shellArgs: string) {
  const script = `exec "${process.execPath}" "${bins.whatToBackup}" --root "${join(top, 'sys')}" --package-db none --no-builtin-rules -0 ${shellArgs}`;
  try {
    const r = await run('bash', ['-c', script], { env: childEnv({ XDG_CACHE_HOME: join(top, 'cache') }), encoding: 'buffer' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr.toString() };
  } catch (error) {
    const e = error as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr.toString() };
  }
}

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-root-names-'));
  mkdirSync(join(top, 'sys/home/josé'), { recursive: true });
  writeFileSync(join(top, 'sys/home/josé/notes.txt'), 'n');
  const latin1 = Buffer.concat([Buffer.from(join(top, 'sys/data/caf')), Buffer.from([0xe9])]);
  mkdirSync(join(top, 'sys/data'), { recursive: true });
  mkdirSync(latin1);
  writeFileSync(Buffer.concat([latin1, Buffer.from('/menu')]), 'm');
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('what-to-backup ROOT names', () => {
  it('scans a ROOT whose name is UTF-8 but not ASCII', async () => {
    const r = await cli(`'/home/josé'`);
    expect(r.stderr).not.toContain('vanished');
    expect(r.code).toBe(0);
    expect(r.stdout.toString('utf8').split('\0')).toContain('/home/josé/');
  });

  it('refuses a ROOT that is not UTF-8, which Node cannot pass exactly, and says how to give it', async () => {
    const r = await cli(`$'/data/caf\\xe9'`);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/not valid UTF-8.*--escaped/s);
  });

  it('scans a ROOT that is not UTF-8 when given escaped, as the text list prints it', async () => {
    const r = await cli(`--escaped '/data/caf\\xe9'`);
    expect(r.code).toBe(0);
    const listed = r.stdout.toString('latin1').split('\0');
    expect(listed).toContain('/data/caf\xe9/');
  });

  it('rejects a malformed escape in an escaped ROOT with exit status 2', async () => {
    const r = await cli(`--escaped '/data/caf\\q'`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/what-to-backup: ROOT .*malformed escape/);
  });
});
