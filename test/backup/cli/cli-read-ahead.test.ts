/**
 * The command starts reading the tree ahead (FileSystemPort.readAhead) before the package database
 * loads: for a scan of the whole root, the default, and for one folder given; a scan of several
 * folders reads each ahead as the walk comes to it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';

const top = mkdtempSync(join(tmpdir(), 'cave-cli-ahead-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

mkdirSync(join(top, 'sys/etc/app'), { recursive: true });
mkdirSync(join(top, 'sys/var/lib'), { recursive: true });
writeFileSync(join(top, 'sys/etc/app/conf'), 'x');

/** The folders read ahead, in order, in one in-process run of the command with `roots`. */
async function readAheadFrom(roots: string[]): Promise<string[]> {
  const start = vi.spyOn(NodeFileSystem.prototype, 'readAhead');
  let out = '';
  const code = await whatToBackup(['--root', join(top, 'sys'), '--package-db', 'none', '--no-cache', ...roots], {
    stdout: { write: (chunk: string) => void (out += chunk) },
    stderr: { write: () => undefined },
    env: { XDG_CACHE_HOME: join(top, 'cache') },
  });
  expect(code).toBe(0);
  expect(out).not.toBe(''); // the scan ran and printed its list
  return start.mock.calls.map(([root]) => root);
}

describe('what-to-backup reads the tree ahead', () => {
  it('from the root, once, when it scans the whole system (the default)', async () => {
    expect(await readAheadFrom([])).toEqual(['/']);
  });

  it('from the one folder asked for, spelt as the walk spells it', async () => {
    expect(await readAheadFrom(['/etc/app/'])).toEqual(['/etc/app']);
  });

  it('from each of several folders in turn, as the walk comes to it', async () => {
    expect(await readAheadFrom(['/var', '/etc'])).toEqual(['/etc', '/var']);
  });
});
