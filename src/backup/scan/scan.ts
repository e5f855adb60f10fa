/**
 * The scan's entry point: walks the scanned system through its ports and emits every entry,
 * classified against the package database. The work is done by a {@link Walk}.
 * @module
 */
import type { ScanOptions, ScanReport } from './scan-options.js';
import { Walk } from './walk.js';

export type { MissingFile, ScanOptions, ScanReport } from './scan-options.js';

/** Walks depth-first (a directory before its children), never follows symlinks and never writes. */
export async function scan(options: ScanOptions): Promise<ScanReport> {
  // Loaded only for a database: a scan without one (every path new) has no use for its code.
  const owned = options.database === undefined ? undefined : new (await import('./owned-verdicts.js')).OwnedVerdicts(options);
  return new Walk(options, owned).run();
}
