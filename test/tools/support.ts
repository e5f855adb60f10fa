import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bins, childEnv, repoRoot } from '#test/support/child-env.js';

export const run = promisify(execFile);

/** The built program's --help, as a user sees it. */
export async function helpOf(program: keyof typeof bins): Promise<string> {
  return (await run(process.execPath, [bins[program], '--help'], { env: childEnv() })).stdout;
}

/** stderr of the built program run with `args` (it is expected to fail). */
export async function errorOf(program: keyof typeof bins, args: string[]): Promise<string> {
  const failed = await run(process.execPath, [bins[program], ...args], { env: childEnv() }).then(
    () => undefined,
    (error: { stderr: string }) => error.stderr,
  );
  if (failed === undefined) throw new Error(`${program} ${args.join(' ')} succeeded`);
  return failed;
}

/** An installed file of the build (`npm run build` writes them). */
export const installed = (path: string) => `${repoRoot}dist/${path}`;
