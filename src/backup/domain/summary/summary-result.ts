/**
 * What a closed `BackupSummary` produced: the collapsed tree and the entries it reports
 * (excluded, unreadable, not scanned). The outputs built from it live in `report/`:
 * `flatList(result.root)`, `treeReport(result)`, `summaryJson(result)`.
 * @module
 */
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { byPath } from '#backup/domain/paths/byte-order.js';
import type { SummaryNode } from './summary-node.js';
import { TotalsBuilder, type Totals } from './totals.js';

/** The outcome of a scan: the collapsed tree and the reported entries, which every report is built from. */
export class SummaryResult {
  /** Excluded, unreadable and not-scanned entries, sorted by path. */
  readonly reported: readonly ScannedEntry[];

  constructor(
    /** The collapsed tree; undefined when no entry was added. */
    readonly root: SummaryNode | undefined,
    reported: readonly ScannedEntry[],
  ) {
    this.reported = [...reported].sort(byPath);
  }

  /** Totals of everything scanned. */
  get totals(): Totals {
    return this.root?.totals ?? new TotalsBuilder().freeze();
  }
}
