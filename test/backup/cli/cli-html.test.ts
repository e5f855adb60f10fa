/** `what-to-backup --html FILE`, run as a user runs the built program. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

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

/** The page's tiles as paths (the page embeds its tree as JSON for its scripts). */
interface Tile {
  readonly n: string;
  readonly s: number;
  readonly ch?: Tile[];
}
function embeddedRoot(html: string): Tile {
  const data = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(data).not.toBeNull();
  return (JSON.parse(data![1]!) as { root: Tile }).root;
}
function embeddedPaths(html: string): Set<string> {
  const root = embeddedRoot(html);
  const paths = new Set<string>();
  const walk = (tile: Tile, path: string) => {
    paths.add(path);
    for (const child of tile.ch ?? []) walk(child, path === '/' ? `/${child.n}` : `${path}/${child.n}`);
  };
  walk(root, root.n);
  return paths;
}

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-cli-html-'));
  mkdirSync(join(top, 'sys/home/me/photos'), { recursive: true });
  mkdirSync(join(top, 'sys/srv/site'), { recursive: true });
  writeFileSync(join(top, 'sys/home/me/notes <b>.txt'), 'notes');
  writeFileSync(join(top, 'sys/home/me/photos/big.jpg'), Buffer.alloc(20_000));
  writeFileSync(join(top, 'sys/srv/site/index.html'), '<p>hi</p>');
  writeFileSync(join(top, 'exclude'), '*.jpg\n');
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('what-to-backup --html FILE', () => {
  it('writes one self-contained page holding the same list as --json, and still prints the list', async () => {
    const html = join(top, 'report.html');
    const args = ['--root', join(top, 'sys'), '--package-db', 'none', '--exclude-from', join(top, 'exclude')];
    const r = await cli([...args, '--html', html]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('/srv/\n');
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    // Self-contained: nothing is fetched, not even a stylesheet or script of its own.
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/<link[^>]+stylesheet/i);

    const json = JSON.parse((await cli([...args, '--json'])).stdout) as { list: { path: string }[]; totals: { saveSize: string } };
    const tiles = embeddedPaths(page);
    expect(json.list.map((l) => l.path)).toEqual(['/home', '/home/me', '/home/me/notes <b>.txt', '/home/me/photos', '/srv']);
    // Every listed entry that holds bytes to save is a tile, and the page's total is the list's.
    expect(tiles).toContain('/home/me/notes <b>.txt');
    expect(tiles).toContain('/srv');
    expect(tiles).not.toContain('/home/me/photos/big.jpg');
    expect(embeddedRoot(page).s).toBe(Number(json.totals.saveSize));
  });

  it('fails with exit status 2 and a clear message when the file cannot be written', async () => {
    const r = await cli(['--root', join(top, 'sys'), '--package-db', 'none', '--html', join(top, 'no/such/folder/report.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^what-to-backup: cannot write --html .*no\/such\/folder\/report\.html: ENOENT/m);
  });

  it('refuses an empty file name', async () => {
    const r = await cli(['--html', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--html needs a file name');
  });
});
