/** The closing notes of a scan on stderr: what it was checked against, what is missing or vanished. */
import { escapePath } from '#backup/domain/paths/path-escape.js';
import type { ScanReport } from '#backup/scan/scan.js';
import type { DatabaseFacts } from './held-database.js';

const MISSING_SHOWN = 20;

/** The notes after the list: the database checked against (or its absence), --quick's caveat, missing, vanished and unreadable entries. */
export function scanNotes(report: ScanReport, database: DatabaseFacts | undefined, quick: boolean, dbNote: string | undefined): string {
  const lines = [
    database
      ? `checked against ${database.source}: ${plural(database.packageCount, 'package')}, ${plural(database.owned, 'owned path')}`
      : (dbNote ?? 'no package database (--package-db none): everything found is listed as new'),
  ];
  if (database && dbNote) lines.push(dbNote);
  if (quick) lines.push('quick scan: contents were not compared; a same-size change to a package file goes unnoticed');
  if (report.missing.length) {
    lines.push(`${report.missing.length} package-owned paths are missing (nothing to back up):`);
    for (const m of report.missing.slice(0, MISSING_SHOWN)) lines.push(`  missing ${m.config ? 'c' : ' '} ${escapePath(m.path)}  (${m.package})`);
    if (report.missing.length > MISSING_SHOWN) lines.push(`  ... and ${report.missing.length - MISSING_SHOWN} more (all in --json)`);
  }
  if (report.vanished.length) lines.push(`${report.vanished.length} entries vanished while being scanned`);
  if (report.unreadable) lines.push(`${report.unreadable} entries could not be read; they are listed above as unreadable`);
  return `${lines.join('\n')}\n`;
}

/** `1 package`, `2 packages`. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
