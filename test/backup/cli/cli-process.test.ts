/**
 * The command's process as the system sees it, run the way a user runs it (through its `#!`
 * line): a batch job whose threads do not preempt each other, and a node that skips the TLS
 * set-up the scanner never uses (issue #15: both cost a visible share of a walk against `find`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
const top = mkdtempSync(join(tmpdir(), 'cave-process-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

const sys = join(top, 'sys');
for (const dir of ['etc/a', 'etc/b', 'srv/c']) mkdirSync(join(sys, dir), { recursive: true });
writeFileSync(join(sys, 'etc/a/hosts'), 'x');

// Preloaded into the program: as it exits, notes the scheduling policy (field 41 of
// /proc/PID/task/TID/stat) of every thread it has then.
const hook = join(top, 'policies.mjs');
writeFileSync(
  hook,
  `import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
  process.on('exit', () => {
    const policies = readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'latin1');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]);
    });
    writeFileSync(process.env.CAVE_POLICY_LOG, JSON.stringify(policies));
  });`,
);

const SCHED_OTHER = 0;
const SCHED_BATCH = 3;

async function threadPolicies(extra: Record<string, string>): Promise<number[]> {
  const log = join(top, `policies-${Object.keys(extra).join('-')}.json`);
  const env = childEnv({ ...extra, XDG_CACHE_HOME: join(top, 'cache'), CAVE_POLICY_LOG: log, NODE_OPTIONS: `--import="${pathToFileURL(hook).href}"` });
  await run(bins.whatToBackup, ['--root', sys, '--package-db', 'none'], { env });
  return JSON.parse(readFileSync(log, 'utf8')) as number[];
}

describe('the what-to-backup process', () => {
  it('runs every one of its threads under SCHED_BATCH, those made during the scan too', async () => {
    const policies = await threadPolicies({});
    expect(policies.length).toBeGreaterThan(4); // node's platform threads and libuv's pool
    expect(new Set(policies)).toEqual(new Set([SCHED_BATCH]));
  }, 30_000);

  it('leaves the scheduling alone when the addon is turned off', async () => {
    const policies = await threadPolicies({ WHAT_TO_BACKUP_NATIVE: '0' });
    expect(new Set(policies)).toEqual(new Set([SCHED_OTHER]));
  }, 30_000);

  it('starts node without NODE_EXTRA_CA_CERTS, which only costs it time', async () => {
    const env = childEnv({ NODE_EXTRA_CA_CERTS: join(top, 'no-such-ca.pem'), XDG_CACHE_HOME: join(top, 'cache') });
    const bare = await run(process.execPath, ['-e', '0'], { env });
    expect(bare.stderr).toMatch(/Ignoring extra certs/); // node itself reads it at start
    const { stderr } = await run(bins.whatToBackup, ['--root', sys, '--package-db', 'none'], { env });
    expect(stderr).not.toMatch(/extra certs/);
  }, 30_000);
});
