import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../../src/backup/adapters/node-fs.js';
import { unreadableFor } from '../../../src/backup/adapters/readable-by-check.js';
import { readerFrom, type Reader } from '../../../src/backup/domain/readable-by.js';

const run = promisify(execFile);
let top: string;
let nobody: Reader;
const fs = new NodeFileSystem('/');

/** Every path of the test tree, with mode and owner set as root can. */
const tree: Array<[string, 'dir' | 'file' | 'link', number, 'root' | 'nobody', ('nogroup' | 'root')?]> = [
  ['home', 'dir', 0o755, 'nobody'],
  ['home/notes', 'file', 0o600, 'nobody'],
  ['home/root-made', 'file', 0o600, 'root'],
  ['home/owner-denied', 'file', 0o044, 'nobody'],
  ['home/by-group', 'file', 0o040, 'root', 'nogroup'],
  ['home/world', 'file', 0o604, 'root'],
  ['home/link', 'link', 0o777, 'root'],
  ['home/locked', 'dir', 0o700, 'root'],
  ['home/locked/inside', 'file', 0o644, 'root'],
  ['home/pass-only', 'dir', 0o711, 'root'],
  ['home/pass-only/known', 'file', 0o644, 'root'],
  ['home/open', 'dir', 0o755, 'root'],
  ['home/open/mine', 'file', 0o644, 'nobody'],
  ['home/open/secret', 'file', 0o640, 'root'],
];

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-readable-'));
  chmodSync(top, 0o755);
  const ids = { root: 0, nobody: 65534, nogroup: 65534 };
  for (const [path, kind] of tree) {
    const at = join(top, path);
    if (kind === 'dir') mkdirSync(at);
    else if (kind === 'file') writeFileSync(at, path);
    else symlinkSync('notes', at);
  }
  // Modes last, deepest first, so making the tree is never blocked by its own locks.
  for (const [path, kind, mode, owner, group] of [...tree].reverse()) {
    if (kind === 'link') continue;
    chownSync(join(top, path), ids[owner], ids[group ?? owner === 'nobody' ? 'nogroup' : 'root']);
    chmodSync(join(top, path), mode);
  }
  nobody = readerFrom('nobody', readFileSync('/etc/passwd', 'latin1'), readFileSync('/etc/group', 'latin1'))!;
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

/** What the kernel says when nobody tries: `test -r` (and `-x` for a folder) run as that user. */
async function kernelSaysReadable(path: string, isDir: boolean): Promise<boolean> {
  const test = isDir ? `test -r "$1" && test -x "$1"` : `test -L "$1" || test -r "$1"`;
  try {
    await run('runuser', ['-u', 'nobody', '--', 'sh', '-c', test, 'sh', path]);
    return true;
  } catch {
    return false;
  }
}

describe('--readable-by on a real tree, against the kernel', () => {
  it('flags exactly the entries nobody cannot back up', async () => {
    const expected: string[] = [];
    for (const [path, kind] of tree) if (!(await kernelSaysReadable(join(top, path), kind === 'dir'))) expected.push(join(top, path));
    const found = unreadableFor(nobody, tree.map(([path]) => join(top, path)), fs);
    expect(found.map((f) => f.path).sort()).toEqual(expected.sort());
    expect(expected).toContain(join(top, 'home/locked/inside'));
    expect(expected).toContain(join(top, 'home/owner-denied'));
    expect(expected).not.toContain(join(top, 'home/by-group'));
  });

  it('says where and why', () => {
    const found = unreadableFor(nobody, [`${top}/home/`], fs);
    // A folder saved whole is checked inside too; by-group is readable through nobody's group.
    expect(found.map((f) => [f.path.slice(top.length), f.blockedAt.slice(top.length), f.need])).toEqual([
      ['/home/locked', '/home/locked', 'list'],
      ['/home/open/secret', '/home/open/secret', 'read'],
      ['/home/owner-denied', '/home/owner-denied', 'read'],
      ['/home/pass-only', '/home/pass-only', 'list'],
      ['/home/root-made', '/home/root-made', 'read'],
    ]);
    expect(unreadableFor(nobody, [`${top}/home/locked/inside`], fs)).toEqual([
      { path: `${top}/home/locked/inside`, blockedAt: `${top}/home/locked`, need: 'search' },
    ]);
  });
});
