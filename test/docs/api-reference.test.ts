import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/child-env.js';

const run = promisify(execFile);

describe('API reference (typedoc)', () => {
  it('documents every exported symbol in src/, as `npm run docs` requires, without a single warning', async () => {
    // The same configuration as `npm run docs` (typedoc.json: warnings are errors), without writing pages.
    const result = await run(process.execPath, ['node_modules/typedoc/bin/typedoc', '--emit', 'none'], { cwd: repoRoot }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    // Drop colour codes so a failure reads as plain text.
    const problems = result.output.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((line) => /\[(warning|error)\]/.test(line));
    expect(problems).toEqual([]);
    expect(result.code).toBe(0);
  }, 60_000);
});
