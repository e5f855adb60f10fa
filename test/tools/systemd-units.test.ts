import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#test/support/child-env.js';
import { run } from './support.js';

const folder = join(repoRoot, 'docs', 'examples', 'systemd');
const units = readdirSync(folder).filter((f) => /\.(service|timer)$/.test(f));

/** What `systemd-analyze verify` says about `file`: its exit status and everything it printed. */
async function verify(file: string): Promise<{ code: number; said: string }> {
  return run('systemd-analyze', ['verify', file], { env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } }).then(
    (r) => ({ code: 0, said: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, said: e.stdout + e.stderr }),
  );
}

describe('the example systemd units', () => {
  it('are a nightly timer with its service, and a unit that runs at shutdown', () => {
    expect(units.sort()).toEqual(['what-to-backup-nightly.service', 'what-to-backup-nightly.timer', 'what-to-backup-shutdown.service']);
  });

  it.each(units)('%s passes systemd-analyze verify without a word', async (unit) => {
    expect(await verify(join(folder, unit))).toEqual({ code: 0, said: '' });
  });

  it('systemd-analyze verify here does catch an unknown key and a missing program', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cave-units-'));
    try {
      await writeFile(join(dir, 'typo.service'), '[Service]\nExecStart=/bin/true\nExecStrat=/bin/true\n');
      await writeFile(join(dir, 'missing.service'), '[Service]\nExecStart=/nonexistent/what-to-backup\n');
      expect((await verify(join(dir, 'typo.service'))).said).toMatch(/Unknown key/);
      expect((await verify(join(dir, 'missing.service'))).code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
