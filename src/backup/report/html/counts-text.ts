/** Entry counts in words, largest story first: `1,204 new, 3 modified, 40 unmodified`. */
import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import { formatCount } from './number-text.js';

const order: readonly EntryClass[] = ['new', 'modified', 'unmodified', 'excluded', 'unreadable', 'not-scanned'];

/** The non-zero counts, as in `1,204 new, 3 modified`; empty when there are none. */
export function countsText(counts: Readonly<Partial<Record<EntryClass, number>>> | undefined): string {
  if (!counts) return '';
  return order
    .filter((entryClass) => (counts[entryClass] ?? 0) > 0)
    .map((entryClass) => `${formatCount(counts[entryClass]!)} ${entryClass}`)
    .join(', ');
}

/** Adds `more` into `into`, class by class. */
export function addCounts(
  into: Partial<Record<EntryClass, number>>,
  more: Readonly<Partial<Record<EntryClass, number>>> | undefined,
): void {
  for (const entryClass of order) {
    const n = more?.[entryClass];
    if (n) into[entryClass] = (into[entryClass] ?? 0) + n;
  }
}
