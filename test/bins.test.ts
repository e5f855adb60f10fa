import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bins, childEnv, repoRoot } from './support/child-env.js';

const run = promisify(execFile);
const version = (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { version: string }).version;

describe.each([
  ['telepathy-cave', bins.telepathyCave],
  ['what-to-backup', bins.whatToBackup],
])('%s', (name, bin) => {
  it('prints its usage with --help and exits 0', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help'], { env: childEnv() });
    expect(stdout).toMatch(new RegExp(`^Usage: ${name} `));
    expect(stdout).toContain('--version');
  });

  it('prints its version with --version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version'], { env: childEnv() });
    expect(stdout).toBe(`${name} ${version}\n`);
  });

  it('is declared as a bin of the package', () => {
    const manifest = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(`${repoRoot}${manifest.bin[name]}`).toBe(bin);
  });
});
