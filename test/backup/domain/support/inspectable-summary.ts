import { assertAbsolutePath } from '#backup/domain/paths/byte-path.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import type { SummaryNode } from '#backup/domain/summary/summary-node.js';

/**
 * A {@link BackupSummary} that tests can drive and look into: it declares directories complete
 * (what a parallel walker would do in `explicit` mode) and counts the nodes it holds.
 */
export class InspectableSummary extends BackupSummary {
  /** Declares `path` complete: it and any directory still open below it are finalised now. */
  directoryComplete(path: string): void {
    this.assertOpen();
    assertAbsolutePath(path);
    if (path === '/') throw new Error('the root is completed by close()');
    if (!this.isOpen(path)) throw new Error(`directory ${JSON.stringify(path)} is not open (unknown, or complete already)`);
    this.finalise(path);
  }

  /**
   * Summary nodes held right now: open directories plus every node kept below them. After a
   * folder is finalised and folded, it counts as one, however many files it held. (Besides these
   * the summary keeps the reported entries and the identities of files with several links.)
   */
  retainedNodeCount(): number {
    let count = 0;
    const countNode = (node: SummaryNode): void => {
      count += 1;
      if (node.shape === 'mixed') node.children.forEach(countNode);
    };
    for (const children of this.openContents()) {
      count += 1;
      children.forEach(countNode);
    }
    return count;
  }
}
