/**
 * The native addons load wherever the program lives, a folder whose name has a space or a
 * non-ASCII letter included: without them what-to-backup silently falls back to JavaScript.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#test/support/child-env.js';

const run = promisify(execFile);
const top = mkdtempSync(join(tmpdir(), 'cave addons é-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe.runIf(existsSync(join(repoRoot, 'build/Release/walker.node')))('the native addons', () => {
  it('load from a folder whose name has a space and a non-ASCII letter', async () => {
    for (const part of ['package.json', 'dist', 'build/Release']) cpSync(join(repoRoot, part), join(top, part), { recursive: true });
    const module = (path: string) => JSON.stringify(pathToFileURL(join(top, 'dist/backup/adapters', path)).href);
    const script = `
      const { loadNativeWalker } = await import(${module('native-walker/native-walker.js')});
      const { loadNativeDigest } = await import(${module('digest-workers/native-digester.js')});
      console.log(JSON.stringify([typeof loadNativeWalker()?.listDirectory, typeof loadNativeDigest()?.digestBatchLater]));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: top });
    expect(JSON.parse(stdout)).toEqual(['function', 'function']);
  });
});
