/**
 * What a closed `BackupSummary` produced: the collapsed tree, the entries it reports
 * (excluded, unreadable, not scanned) and the three outputs built from them.
 * @module
 */
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { byteOrder, flatList } from '#backup/report/list/flat-list.js';
import { summaryJson, type SummaryJson } from '#backup/report/json/json-report.js';
import type { SummaryNode } from './summary-node.js';
import { TotalsBuilder, type Totals } from './totals.js';
import { treeReport, type TreeReportOptions } from '#backup/report/tree/tree-report.js';

/** The outcome of a scan: the collapsed tree and the reported entries, with the list, report and JSON built from them. */
export class SummaryResult {
  /** Excluded, unreadable and not-scanned entries, sorted by path. */
  readonly reported: readonly ScannedEntry[];

  constructor(
    /** The collapsed tree; undefined when no entry was added. */
    readonly root: SummaryNode | undefined,
    reported: readonly ScannedEntry[],
  ) {
    this.reported = [...reported].sort((a, b) => byteOrder(a.path, b.path));
  }

  /** Totals of everything scanned. */
  get totals(): Totals {
    return this.root?.totals ?? new TotalsBuilder().freeze();
  }

  /** The paths to back up as byte strings, sorted; folders saved whole end in `/`. */
  flatList(): string[] {
    return flatList(this.root);
  }

  /** The tree report for people (see tree-report.ts). */
  report(options: TreeReportOptions = {}): string {
    return treeReport(this, options);
  }

  /** The versioned JSON form (see json-report.ts). */
  toJSON(): SummaryJson {
    return summaryJson(this);
  }
}
