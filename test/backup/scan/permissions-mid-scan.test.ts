/**
 * Folders whose permissions change while the scan runs (issue #16). A rules plugin whose `match`
 * the walk calls on each path, in order, takes the permissions away at a known moment: after the
 * folders' parent was listed, before the walk reaches them. The CLI runs as `nobody` (root reads
 * a chmod 000 folder anyway), from a copy of dist/ that user can reach.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '#test/support/child-env.js';
import { copyProgramForAllUsers, type ProgramCopy } from '#test/support/program-copy.js';

const run = promisify(execFile);
const NOBODY = 65534;
let top: string;
let sys: string;
let program: ProgramCopy;

// Seeing /a (walked first), it locks /z, a folder the walk has not reached yet; seeing
// /m/a-first, it locks /m, whose listing the walk holds: a-first (not read yet) and the
// subfolder /m/sub (not listed yet) are out of reach from then on.
const plugin = `import { chmodSync } from 'node:fs';
const sys = new URL('./sys', import.meta.url).pathname;
export default [{ name: 'lock-mid-scan', action: 'skip', match: (target) => {
  if (target.path === '/m/a-first') chmodSync(sys + '/m', 0o000);
  if (target.path === '/a') chmodSync(sys + '/z', 0o000);
  return false;
} }];
`;

/** Makes a tree: folders owned by `nobody`, so the plugin (run by the CLI as nobody) may chmod them. */
function reset(): void {
  rmSync(sys, { recursive: true, force: true });
  for (const dir of ['a', 'm/sub', 'z/deeper']) mkdirSync(join(sys, dir), { recursive: true });
  for (const file of ['a/file', 'm/a-first', 'm/sub/x', 'z/inside', 'z/deeper/y']) writeFileSync(join(sys, file), file);
  for (const dir of ['m', 'z']) chownSync(join(sys, dir), NOBODY, NOBODY);
}

async function cliAsNobody(args: string[]) {
  reset();
  const coverage = mkdtempSync(join(tmpdir(), 'cave-cov-'));
  chmodSync(coverage, 0o777);
  const setpriv = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, program.whatToBackup];
  const base = ['--root', sys, '--package-db', 'none', '--no-builtin-rules', '--no-cache', '--rules-plugin', join(top, 'lock.mjs')];
  try {
    const r = await run('setpriv', [...setpriv, ...base, ...args], { env: childEnv({ NODE_V8_COVERAGE: coverage }), encoding: 'latin1', timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  } finally {
    rmSync(coverage, { recursive: true, force: true });
  }
}

beforeAll(() => {
  program = copyProgramForAllUsers();
  top = mkdtempSync(join(tmpdir(), 'cave-perm-'));
  chmodSync(top, 0o755);
  sys = join(top, 'sys');
  writeFileSync(join(top, 'lock.mjs'), plugin);
});

afterAll(() => {
  rmSync(top, { recursive: true, force: true });
  program.remove();
});

describe('folders locked while the scan runs', () => {
  it('reports each unreadable with its reason, lists nothing from inside them, and exits 1 (-0 exact)', async () => {
    const r = await cliAsNobody(['-0']);
    expect(r.stderr).toContain('3 entries could not be read');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unreadable\s+\/m\/a-first\s+EACCES/);
    expect(r.stderr).toMatch(/unreadable\s+\/m\/sub\s+EACCES/);
    expect(r.stderr).toMatch(/unreadable\s+\/z\s+EACCES/);
    // Exactly what was readable; no folder listed whole that would hide the locked ones.
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(['/a/', '/m']);
  });

  it('--json reports the same three, with their reasons', async () => {
    const r = await cliAsNobody(['--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { reported: Array<{ path: string; class: string; reason?: string }>; scan: { unreadable: number } };
    expect(json.reported.map((e) => [e.path, e.class, e.reason])).toEqual([
      ['/m/a-first', 'unreadable', 'EACCES'],
      ['/m/sub', 'unreadable', 'EACCES'],
      ['/z', 'unreadable', 'EACCES'],
    ]);
    expect(json.scan.unreadable).toBe(3);
  });
});
