/** Runs one command a `console` block shows, as the docs harness does (test/docs/docs.test.ts). */
import { execFile } from 'node:child_process';

/** What a shown command printed (stdout and stderr together) and its exit status. */
export interface ShownRun {
  readonly output: string;
  /** The exit status; a signal's name when a signal ended it, or `timeout`. */
  readonly status: number | string;
}

/**
 * Runs `command` in its own `bash -c` with stderr joined to stdout. A command whose status is
 * not 0 must show that status itself (`...; echo "exit status $?"`), so a failing command
 * can never pass for one that worked because its output happens to match.
 */
export function runShown(command: string, options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }): Promise<ShownRun> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', `exec 2>&1\n${command}`], { ...options, timeout: options.timeout ?? 60_000 }, (error, stdout) => {
      if (!error) return resolve({ output: `${stdout}`, status: 0 });
      const e = error as { code?: number | string; signal?: string; killed?: boolean };
      const status = e.killed ? 'timeout' : typeof e.code === 'number' ? e.code : (e.signal ?? String(e.code));
      resolve({ output: `${stdout}`, status });
    });
  });
}
