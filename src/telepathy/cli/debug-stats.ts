/**
 * `CAVE_DEBUG_STATS=1`: on SIGUSR2 the daemon writes one line of memory figures and live
 * resources (timers, sockets, …), so a soak run can tell a leak from a warm-up.
 * @module
 */

/** What one SIGUSR2 reports. */
export interface DebugStats {
  /** Resident set size, bytes. */
  readonly rss: number;
  /** V8 heap in use, bytes (after a collection when Node runs with --expose-gc). */
  readonly heapUsed: number;
  /** Memory outside the V8 heap (Buffers), bytes. */
  readonly external: number;
  /** Live libuv resources by kind, e.g. `{ "Timeout": 1, "PipeWrap": 1 }`. */
  readonly resources: Record<string, number>;
}

/** The daemon's figures now, collecting garbage first when `gc` is exposed. */
export function debugStats(): DebugStats {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  return { rss, heapUsed, external, resources };
}

/** The line SIGUSR2 writes; the soak bench parses it. */
export const STATS_PREFIX = 'stats ';

/**
 * With `CAVE_DEBUG_STATS` set (not empty, not 0), write {@link debugStats} as JSON on each SIGUSR2;
 * returns what removes the handler. Without it SIGUSR2 keeps its default meaning.
 */
export function reportStatsOnSignal(env: NodeJS.ProcessEnv, write: (line: string) => void): () => void {
  const value = env.CAVE_DEBUG_STATS;
  if (value === undefined || value === '' || value === '0') return () => {};
  const report = () => write(STATS_PREFIX + JSON.stringify(debugStats()));
  process.on('SIGUSR2', report);
  return () => process.off('SIGUSR2', report);
}
