import { fileURLToPath } from 'node:url';

/** The repository's top folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where spawned Node processes write raw V8 coverage for c8 (`npm run coverage:processes`). */
export const processCoverageDir = `${repoRoot}coverage/processes-raw`;

/** The built programs that tests spawn, as a user would run them after `npm ci`. */
export const bins = {
  telepathyCave: `${repoRoot}dist/bin/telepathy-cave.js`,
  whatToBackup: `${repoRoot}dist/bin/what-to-backup.js`,
} as const;

/**
 * Environment for a spawned program: the caller's, plus coverage collection, and never the
 * user's real session bus unless a test hands one in.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, DBUS_SESSION_BUS_ADDRESS: 'disabled:', NODE_V8_COVERAGE: processCoverageDir, ...extra };
}
