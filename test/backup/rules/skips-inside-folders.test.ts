import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
let top: string;
let sys: string;

async function cli(args: string[]) {
  const r = await run(process.execPath, [bins.whatToBackup, '--root', sys, '--package-db', 'none', ...args], { env: childEnv(), encoding: 'buffer', cwd: top });
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() };
}

const file = (path: string) => {
  mkdirSync(join(sys, path, '..'), { recursive: true });
  writeFileSync(join(sys, path), path);
};

// A project of many modules, each with its bytecode beside it: the shape of a virtualenv or pyenv.
const MODULES = 40;
const expectedList = [
  '/srv',
  '/srv/app',
  '/srv/app/README/',
  ...Array.from({ length: MODULES }, (_, i) => [`/srv/app/m${String(i).padStart(2, '0')}`, `/srv/app/m${String(i).padStart(2, '0')}/code.py`]).flat(),
  '/srv/app/setup.cfg',
];

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-skips-inside-'));
  sys = join(top, 'sys');
  file('/srv/app/setup.cfg');
  file('/srv/app/README/index.txt');
  for (let i = 0; i < MODULES; i++) {
    const m = `/srv/app/m${String(i).padStart(2, '0')}`;
    file(`${m}/code.py`);
    file(`${m}/__pycache__/code.cpython-311.pyc`);
  }
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('a folder holding what a skip rule leaves out', () => {
  it('is one node in the tree report, and the plain list still names every file but the skipped ones', async () => {
    const r = await cli(['/srv']);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(expectedList);
    expect(r.stderr).toContain(`srv/  save`);
    expect(r.stderr).toContain(`(all but ${MODULES} skipped)`);
    expect(r.stderr).not.toMatch(/^ +m00\//m); // the modules are not each a node of the tree
    expect(r.stderr.match(/excluded {2}\/srv\/app\/m\d\d\/__pycache__ {2}rule python-bytecode/g)).toHaveLength(MODULES);
  });

  it('gives the JSON list the same paths as the plain list, each with the rule of its folder', async () => {
    const json = JSON.parse((await cli(['--json', '/srv'])).stdout);
    expect(json.list.map((l: { path: string; folder: boolean }) => (l.folder ? `${l.path}/` : l.path))).toEqual(expectedList);
    expect(json.tree.children[0]).toMatchObject({ name: 'srv', shape: 'save-folder' });
  });

  it('hands restic the same list and the rule as its exclude', async () => {
    await cli(['--for', 'restic', '--excludes-to', 'excludes', '/srv']);
    const excludes = readFileSync(join(top, 'excludes'), 'latin1');
    expect(excludes).toContain('__pycache__');
  });

  it('lists the folder whole once the rule is switched off', async () => {
    expect((await cli(['--rules-off', 'python-bytecode', '/srv'])).stdout).toBe('/srv/\n');
  });
});

describe('a skip rule that a later rule overrides at any depth', () => {
  it('is not handed to the tool: restic must not leave out a file the scan saves', async () => {
    file('/home/u/d/x.log');
    file('/home/u/d/a.txt');
    writeFileSync(join(top, 'rules'), 'skip *.log name=logs\nsave ~/** name=all-home\n');
    const r = await cli(['--no-builtin-rules', '--rules', join(top, 'rules'), '--for', 'restic', '--excludes-to', 'excludes-late', '/home']);
    expect(r.stdout.split('\0')).toContain('home/u/d');
    expect(readFileSync(join(top, 'excludes-late'), 'latin1')).not.toMatch(/^\*\.log$/m);
  });
});
