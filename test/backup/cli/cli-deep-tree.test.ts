/**
 * A tree nested deeper than PATH_MAX, with an excluded file at every level so nothing folds:
 * every output format, exact and bounded (issue #16, defect 9).
 */
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
const DEPTH = 3_000; // `/d` per level: 6,000 bytes, past PATH_MAX (4,096)
let top: string;

async function cli(args: string[]) {
  const options = { env: childEnv({ XDG_CACHE_HOME: join(top, 'cache') }), maxBuffer: 1 << 30, encoding: 'latin1' as const };
  const base = ['--root', join(top, 'sys'), '--package-db', 'none', '--no-builtin-rules', '--exclude-from', join(top, 'exclude')];
  try {
    const r = await run(process.execPath, [bins.whatToBackup, ...base, ...args], options);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

/** Builds the tree through open folders (/proc/self/fd/N/...): its full paths are too long to use. */
function deepTree(dir: string, depth: number): void {
  let fd = openSync(dir, 'r');
  let below = '';
  for (let i = 0; i < depth; i++) {
    writeFileSync(`/proc/self/fd/${fd}${below}/skip.tmp`, 's');
    below += '/d';
    mkdirSync(`/proc/self/fd/${fd}${below}`);
    if (below.length > 2_000) {
      const next = openSync(`/proc/self/fd/${fd}${below}`, 'r');
      closeSync(fd);
      [fd, below] = [next, ''];
    }
  }
  writeFileSync(`/proc/self/fd/${fd}${below}/leaf`, 'x');
  closeSync(fd);
}

const folders = Array.from({ length: DEPTH }, (_, i) => '/d'.repeat(i + 1));
// Each folder is listed bare (its excluded file keeps it from folding) but the deepest, which
// holds only `leaf` and so is saved whole.
const expectedList = [...folders.slice(0, -1), `${folders.at(-1)}/`];

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-deep-'));
  mkdirSync(join(top, 'sys'));
  deepTree(join(top, 'sys'), DEPTH);
  writeFileSync(join(top, 'exclude'), '*.tmp\n');
}, 60_000);

afterAll(() => execFileSync('rm', ['-rf', top])); // rm walks past PATH_MAX; fs.rmSync does not

describe('what-to-backup on a tree deeper than PATH_MAX', () => {
  it('walks to the bottom and lists every path exactly with -0, exit 0', async () => {
    const r = await cli(['-0']);
    expect(r.stderr).not.toContain('ENAMETOOLONG');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(expectedList);
    expect(r.stderr).toContain(`${DEPTH} excluded`);
  }, 120_000);

  it('prints the same list in --json, with indentation that stops growing, and writes the --html page', async () => {
    const html = join(top, 'report.html');
    const r = await cli(['--json', '--html', html]);
    expect(r.code).toBe(0);
    const json = JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8')) as { list: Array<{ path: string; folder: boolean }>; reported: unknown[] };
    expect(json.list.map((l) => (l.folder ? `${l.path}/` : l.path))).toEqual(expectedList);
    expect(json.reported).toHaveLength(DEPTH);
    const widest = r.stdout.split('\n').reduce((most, line) => Math.max(most, line.length - line.trimStart().length), 0);
    expect(widest).toBeLessThanOrEqual(2 * 34);
    expect(readFileSync(html, 'utf8')).toContain('id="report-data"');
    // The tree report on stderr keeps its indentation bounded too, and says the level instead.
    const deepest = r.stderr.split('\n').find((line) => line.includes(`[level ${DEPTH}] `));
    expect(deepest).toMatch(/^ {64}\[level 3000\] d\/  save 1 bytes \(all\)/);
  }, 120_000);
});
