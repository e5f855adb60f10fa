import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runShown } from './run-shown.js';

const where = { cwd: tmpdir(), env: process.env };

describe('running a command a document shows', () => {
  it('gives the output, stderr included, and status 0 for a command that works', async () => {
    expect(await runShown('echo out; echo err >&2', where)).toEqual({ output: 'out\nerr\n', status: 0 });
  });

  it('gives the status of a command that fails, so the harness can refuse it', async () => {
    expect(await runShown('echo partial; exit 3', where)).toEqual({ output: 'partial\n', status: 3 });
  });

  it('gives status 0 when the command shows its own status, the convention for an expected failure', async () => {
    expect(await runShown('false; echo "exit status $?"', where)).toEqual({ output: 'exit status 1\n', status: 0 });
  });

  it('names a command that ran out of time', async () => {
    expect((await runShown('sleep 5', { ...where, timeout: 200 })).status).toBe('timeout');
  });
});
