/**
 * Collapse, applied once when a directory is finalised: turns what was gathered for it into one
 * {@link SummaryNode}, following the folding rule documented in summary-node.ts.
 */
import type { EntryClass } from './entry.js';
import { NameSampler, type NameSample } from './name-sample.js';
import { isSavedWhole, type SummaryNode } from './summary-node.js';
import { isReportedClass, isSaveClass, TotalsBuilder, type Totals } from './totals.js';

/** What a finalised directory holds, as gathered during the walk. */
export interface DirectoryContents {
  readonly path: string;
  readonly name: string;
  /** The directory's own entry; undefined when the walk never reported it. */
  readonly own: { readonly class: EntryClass; readonly reason?: string } | undefined;
  /** Finalised children, except unmodified files, which are only summarised. */
  readonly children: readonly SummaryNode[];
  /** Unmodified files and empty unmodified directories directly inside. */
  readonly unmodified: { readonly sample: NameSample; readonly totals: Totals };
}

/** The collapsed node, or undefined when the directory disappears (empty, and unmodified or never reported). */
export function collapseDirectory(contents: DirectoryContents, sampleSize: number): SummaryNode | undefined {
  const { own, children, unmodified } = contents;
  const isEmpty = children.length === 0 && unmodified.sample.total === 0;
  const totalsBuilder = new TotalsBuilder().add(unmodified.totals);
  for (const child of children) totalsBuilder.add(child.totals);
  if (own !== undefined) totalsBuilder.addEntry(own.class, 'directory', 0n);
  const totals = totalsBuilder.freeze();
  const base = { name: contents.name, path: contents.path, totals };
  const reason = own?.reason === undefined ? {} : { reason: own.reason };

  if (own === undefined && isEmpty) return undefined; // only the root, when nothing was added
  if (own !== undefined && isEmpty) {
    if (own.class === 'unmodified') return undefined;
    if (isReportedClass(own.class)) {
      return { ...base, ...reason, shape: 'entry', kind: 'directory', class: own.class, size: 0n, repeatedLink: false };
    }
    return { ...base, ...reason, shape: 'save-folder', kind: 'directory', class: own.class, contents: { names: [], total: 0 } };
  }

  const foldable = own !== undefined && (isSaveClass(own.class) || own.class === 'unmodified');
  if (foldable && unmodified.sample.total === 0 && children.every(isSavedWhole)) {
    return { ...base, ...reason, shape: 'save-folder', kind: 'directory', class: own.class, contents: sampleOf(children, unmodified.sample, sampleSize) };
  }
  if (own?.class === 'unmodified' && children.every((child) => child.shape === 'unmodified-folder')) {
    return { ...base, ...reason, shape: 'unmodified-folder', kind: 'directory', class: own.class, contents: sampleOf(children, unmodified.sample, sampleSize) };
  }
  return {
    ...base,
    ...reason,
    shape: 'mixed',
    kind: 'directory',
    class: own?.class,
    children: [...children].sort(byName),
    unmodified: { sample: unmodified.sample, size: unmodified.totals.unmodifiedSize },
  };
}

function sampleOf(children: readonly SummaryNode[], unmodified: NameSample, size: number): NameSample {
  const sampler = new NameSampler(size);
  for (const child of children) sampler.add(child.name);
  sampler.addSample(unmodified);
  return sampler.freeze();
}

/** Byte order of names (each character is one byte, so code-unit order is byte order). */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
