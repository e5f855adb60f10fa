/**
 * Collapse, applied once when a directory is finalised: turns what was gathered for it into one
 * {@link SummaryNode}, following the folding rule documented in summary-node.ts.
 * @module
 */
import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import type { RuleMark } from '#backup/domain/rules/rule.js';
import { NameSampler, type NameSample } from './name-sample.js';
import { isSavedWhole, type SummaryNode } from './summary-node.js';
import { entryCount, isReportedClass, isSaveClass, TotalsBuilder, type Totals } from './totals.js';
import { byName } from '#backup/domain/paths/byte-order.js';
import type { SavedLeaves } from './saved-leaves.js';

/** What a finalised directory holds, as gathered during the walk. */
export interface DirectoryContents {
  /** Absolute byte-string path. */
  readonly path: string;
  /** Last path component. */
  readonly name: string;
  /** The directory's own entry; undefined when the walk never reported it. */
  readonly own:
    | {
        /** The directory's class. */
        readonly class: EntryClass;
        /** Why it has that class. */
        readonly reason?: string;
        /** The rule that marked it. */
        readonly rule?: RuleMark;
      }
    | undefined;
  /** Finalised children, except unmodified files, which are only summarised. */
  readonly children: readonly SummaryNode[];
  /** Unmodified files and empty unmodified directories directly inside. */
  readonly unmodified: {
    /** A few of their names. */
    readonly sample: NameSample;
    /** Their totals. */
    readonly totals: Totals;
  };
  /** Plain saved leaves kept without a node of their own (saved-leaves.ts); absent when none. */
  readonly saved?: SavedLeaves;
}

/** Tells the marks of skip rules a backup tool applies itself: what they left out does not block a fold. */
export type FoldsOver = (mark: RuleMark) => boolean;

const foldsOverNothing: FoldsOver = () => false;

/** The collapsed node, or undefined when the directory disappears (empty, and unmodified or never reported). */
export function collapseDirectory(contents: DirectoryContents, sampleSize: number, foldsOver: FoldsOver = foldsOverNothing): SummaryNode | undefined {
  const { own, children, unmodified, saved } = contents;
  const savedCount = saved?.count ?? 0;
  const isEmpty = children.length === 0 && unmodified.sample.total === 0 && savedCount === 0;
  const totalsBuilder = new TotalsBuilder().add(unmodified.totals);
  for (const child of children) totalsBuilder.add(child.totals);
  if (savedCount > 0) totalsBuilder.add(saved!.totals());
  if (own !== undefined) totalsBuilder.addEntry(own.class, 'directory', 0n);
  const totals = totalsBuilder.freeze();
  const base = { name: contents.name, path: contents.path, totals };
  const reason = {
    ...(own?.reason === undefined ? {} : { reason: own.reason }),
    ...(own?.rule === undefined ? {} : { rule: own.rule }),
  };

  if (own === undefined) {
    if (isEmpty) return undefined; // only the root, when nothing was added
    return mixed();
  }
  if (isEmpty && own.class === 'unmodified' && contents.path !== '/') return undefined; // the root has no parent to count it
  if (isEmpty && isReportedClass(own.class)) {
    return { ...base, ...reason, shape: 'entry', kind: 'directory', class: own.class, size: 0n, repeatedLink: false };
  }

  const unmodifiedFiles = unmodified.sample.total - unmodified.totals.directories;
  const blocked = isReportedClass(own.class) || unmodifiedFiles > 0 || children.some((child) => blocksSaveFold(child, foldsOver));
  // A plain saved leaf is saved whole and blocks nothing.
  const holdsSave = isSaveClass(own.class) || savedCount > 0 || children.some(isSavedWhole);
  if (!blocked && holdsSave) {
    return { ...base, ...reason, shape: 'save-folder', kind: 'directory', class: own.class, contents: sampleOf(children, unmodified.sample, sampleSize, saved) };
  }
  if (own.class === 'unmodified' && savedCount === 0 && children.every((child) => child.shape === 'unmodified-folder')) {
    return { ...base, ...reason, shape: 'unmodified-folder', kind: 'directory', class: own.class, contents: sampleOf(children, unmodified.sample, sampleSize) };
  }
  return mixed();

  function mixed(): SummaryNode {
    return {
      ...base,
      ...reason,
      shape: 'mixed',
      kind: 'directory',
      class: own?.class,
      children: (savedCount > 0 ? [...children, ...saved!.nodes()] : [...children]).sort(byName),
      unmodified: { sample: unmodified.sample, size: unmodified.totals.unmodifiedSize },
    };
  }
}

/**
 * True when `child` keeps its parent from folding into a save folder: it holds an unmodified file,
 * or an excluded, unreadable or not-scanned entry. Unmodified directories alone do not: they hold
 * no data, so a folder of save files and intact directories is still saved whole. Nor does what a
 * skip rule left out that the backup tool leaves out itself (`foldsOver`): a cache inside a
 * project does not turn the project into a list of every file beside it.
 */
function blocksSaveFold(child: SummaryNode, foldsOver: FoldsOver): boolean {
  switch (child.shape) {
    case 'save-folder':
      return child.rule !== undefined; // saved by other instructions than its parent: listed apart
    case 'unmodified-folder':
      return entryCount(child.totals) > child.totals.directories;
    case 'entry':
      if (child.class === 'excluded' && child.rule !== undefined && foldsOver(child.rule)) return false;
      return !isSaveClass(child.class) || child.rule !== undefined;
    case 'mixed':
      return true; // a directory that did not fold holds something that blocks, or was never reported
  }
}

function sampleOf(children: readonly SummaryNode[], unmodified: NameSample, size: number, saved?: SavedLeaves): NameSample {
  const sampler = new NameSampler(size);
  for (const child of children) sampler.add(child.name);
  if (saved !== undefined) for (const name of saved.names) sampler.add(name);
  sampler.addSample(unmodified);
  return sampler.freeze();
}
