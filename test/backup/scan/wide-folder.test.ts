/**
 * One folder with 200,000 entries (issue #16), on real files, scanned by the built CLI: the folder
 * is listed whole, once, and every entry is counted, in -0 and --json. They are created with
 * openSync/closeSync on tmpfs (/dev/shm) when there is one: about 1 s on the 2-core build
 * machine, where ext4 under the other engineers' load took 25 s for 50,000 and 70 s for 200,000.
 */
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
const ENTRIES = 200_000;
let top: string;
let sys: string;

async function cli(args: string[]) {
  const base = ['--root', sys, '--package-db', 'none', '--no-builtin-rules', '--no-cache', '--exclude-from', join(top, 'exclude')];
  try {
    const r = await run(process.execPath, [bins.whatToBackup, ...base, ...args], { env: childEnv(), encoding: 'latin1', maxBuffer: 1 << 28, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

interface Totals { counts: Record<string, number>; directories: number }
interface TreeNode { path: string; shape: string; totals: Totals; contents?: { total: number }; children?: TreeNode[] }

beforeAll(() => {
  top = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'cave-wide-'));
  sys = join(top, 'sys');
  mkdirSync(join(sys, 'wide'), { recursive: true });
  // Every fifth one has one byte, so sizes are summed too, not only counted.
  for (let i = 0; i < ENTRIES; i++) {
    const fd = openSync(join(sys, 'wide', `entry-${i}`), 'w');
    if (i % 5 === 0) writeSync(fd, 'x');
    closeSync(fd);
  }
  // One excluded file beside it, so the root is not saved whole and the folder is listed itself.
  writeFileSync(join(sys, 'skip-me'), 'excluded');
  writeFileSync(join(top, 'exclude'), '/skip-me\n');
}, 120_000);

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe(`one folder with ${ENTRIES.toLocaleString('en')} entries`, () => {
  it('is listed whole, once, in -0; status 0', async () => {
    const r = await cli(['-0']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(['/wide/']);
    expect(r.stderr).toMatch(/wide\/  save 39K \(all\)  200000 files, 0 dirs/);
  }, 120_000);

  it('--json counts every entry and every byte, and names the folder once', async () => {
    const r = await cli(['--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { list: Array<{ path: string; folder: boolean }>; tree: TreeNode };
    expect(json.list).toEqual([{ path: '/wide', folder: true }]);
    const wide = json.tree.children?.find((n) => n.path === '/wide');
    expect(wide?.shape).toBe('save-folder');
    expect(wide?.totals.counts['new']).toBe(ENTRIES + 1); // and the folder itself
    expect(wide?.contents?.total).toBe(ENTRIES);
    expect((wide?.totals as unknown as { saveSize: string }).saveSize).toBe(String(ENTRIES / 5));
  }, 120_000);
});
