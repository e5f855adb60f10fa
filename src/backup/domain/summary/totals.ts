/**
 * Byte and entry totals of a subtree. Sizes count non-directory entries only (a directory's own
 * st_size says nothing about what it holds), hard-linked files once.
 * @module
 */
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';

/** Sizes and counts of a subtree. */
export interface Totals {
  /** Bytes of new and modified entries. */
  readonly saveSize: bigint;
  /** Bytes of unmodified entries. */
  readonly unmodifiedSize: bigint;
  /** Bytes of excluded, unreadable and not-scanned entries, as far as they were known. */
  readonly otherSize: bigint;
  /** Entries by class, the subtree's own directory included. */
  readonly counts: Readonly<Record<EntryClass, number>>;
  /** How many of those entries are directories. */
  readonly directories: number;
}

/** Every entry class, in report order. */
export const entryClasses: readonly EntryClass[] = ['new', 'modified', 'unmodified', 'excluded', 'unreadable', 'not-scanned'];

/** New and modified entries are saved. */
export function isSaveClass(entryClass: EntryClass | undefined): boolean {
  return entryClass === 'new' || entryClass === 'modified';
}

/** Excluded, unreadable and not-scanned entries: they prevent folding and are reported. */
export function isReportedClass(entryClass: EntryClass | undefined): boolean {
  return entryClass === 'excluded' || entryClass === 'unreadable' || entryClass === 'not-scanned';
}

/** Sums totals; start empty, add entries and other totals, then freeze. */
export class TotalsBuilder {
  private saveSize = 0n;
  private unmodifiedSize = 0n;
  private otherSize = 0n;
  private readonly counts: Record<EntryClass, number> = {
    new: 0,
    modified: 0,
    unmodified: 0,
    excluded: 0,
    unreadable: 0,
    'not-scanned': 0,
  };
  private directories = 0;

  /** One entry; `countedSize` is 0 for directories and repeated hard links. */
  addEntry(entryClass: EntryClass, kind: EntryKind, countedSize: bigint): this {
    this.counts[entryClass] += 1;
    if (kind === 'directory') this.directories += 1;
    if (isSaveClass(entryClass)) this.saveSize += countedSize;
    else if (entryClass === 'unmodified') this.unmodifiedSize += countedSize;
    else this.otherSize += countedSize;
    return this;
  }

  /** Add another subtree's totals. */
  add(totals: Totals): this {
    // Each bigint sum is a new bigint: a leaf's totals hold two zeros, left out.
    if (totals.saveSize !== 0n) this.saveSize += totals.saveSize;
    if (totals.unmodifiedSize !== 0n) this.unmodifiedSize += totals.unmodifiedSize;
    if (totals.otherSize !== 0n) this.otherSize += totals.otherSize;
    // Field by field, not a loop over the class names: this runs once per entry of a walk.
    const counts = this.counts;
    const add = totals.counts;
    counts.new += add.new;
    counts.modified += add.modified;
    counts.unmodified += add.unmodified;
    counts.excluded += add.excluded;
    counts.unreadable += add.unreadable;
    counts['not-scanned'] += add['not-scanned'];
    this.directories += totals.directories;
    return this;
  }

  /** The totals so far. */
  freeze(): Totals {
    return {
      saveSize: this.saveSize,
      unmodifiedSize: this.unmodifiedSize,
      otherSize: this.otherSize,
      counts: { ...this.counts },
      directories: this.directories,
    };
  }
}

/** The counts of one entry of each class, shared (frozen): a leaf's totals need no counts of their own. */
const oneOf = Object.fromEntries(
  entryClasses.map((c) => [c, Object.freeze(Object.fromEntries(entryClasses.map((d) => [d, d === c ? 1 : 0])) as Record<EntryClass, number>)]),
) as Record<EntryClass, Readonly<Record<EntryClass, number>>>;

/** The totals of one entry, as `new TotalsBuilder().addEntry(...).freeze()` gives them, in one allocation. */
export function entryTotals(entryClass: EntryClass, kind: EntryKind, countedSize: bigint): Totals {
  const save = isSaveClass(entryClass);
  const unmodified = entryClass === 'unmodified';
  return {
    saveSize: save ? countedSize : 0n,
    unmodifiedSize: unmodified ? countedSize : 0n,
    otherSize: save || unmodified ? 0n : countedSize,
    counts: oneOf[entryClass],
    directories: kind === 'directory' ? 1 : 0,
  };
}

/** Total number of entries in `totals`. */
export function entryCount(totals: Totals): number {
  return entryClasses.reduce((sum, c) => sum + totals.counts[c], 0);
}
