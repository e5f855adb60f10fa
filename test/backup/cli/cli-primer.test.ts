/**
 * The command lists the walk's first folders while the package database loads (listing-primer.ts):
 * for a scan of the whole root, the default, and for one folder given; a scan of several folders
 * lists them as it walks them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { whatToBackup } from '#backup/cli/what-to-backup-main.js';
import { ListingPrimer } from '#backup/scan/listing-primer.js';

const top = mkdtempSync(join(tmpdir(), 'cave-cli-primer-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

mkdirSync(join(top, 'sys/etc/app'), { recursive: true });
mkdirSync(join(top, 'sys/var/lib'), { recursive: true });
writeFileSync(join(top, 'sys/etc/app/conf'), 'x');

/** The folders the primer was started at in one in-process run of the command with `roots`. */
async function primedFrom(roots: string[]): Promise<string[]> {
  const start = vi.spyOn(ListingPrimer.prototype, 'start');
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

describe('what-to-backup lists ahead while the database loads', () => {
  it('from the root when it scans the whole system (the default)', async () => {
    expect(await primedFrom([])).toEqual(['/']);
  });

  it('from the one folder asked for, spelt as the walk spells it', async () => {
    expect(await primedFrom(['/etc/app/'])).toEqual(['/etc/app']);
  });

  it('not at all for several folders', async () => {
    expect(await primedFrom(['/etc', '/var'])).toEqual([]);
  });
});
