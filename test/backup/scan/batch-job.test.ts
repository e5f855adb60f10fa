import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';

// What the command does first (bin/what-to-backup.ts, batch-job.ts): a scan is a batch job.

const run = promisify(execFile);
const native = loadNativeWalker();

describe('a scan as a batch job (runAsBatchJob)', () => {
  it('puts every thread of the process under SCHED_BATCH, and keeps the memory it frees (glibc: a 256 MB trim threshold)', async () => {
    const batchJob = join(process.cwd(), 'dist/backup/adapters/native-walker/batch-job.js');
    // In a node of its own: the policy of each of its threads, from /proc (field 41 of stat; 3 is SCHED_BATCH).
    const script = `
      const { readdirSync, readFileSync } = require('node:fs');
      require(${JSON.stringify(batchJob)}).runAsBatchJob();
      const policies = readdirSync('/proc/self/task').map((t) => Number(readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[38]));
      console.log(JSON.stringify(policies));`;
    const { stdout } = await run(process.execPath, ['-e', script]);
    const policies = JSON.parse(stdout) as number[];
    expect(policies.length).toBeGreaterThan(1);
    expect(new Set(policies)).toEqual(new Set([3]));
    expect(native?.keepFreedMemory?.()).toBe(256 << 20);
  });
});
