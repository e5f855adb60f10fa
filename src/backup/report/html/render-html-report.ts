/** The whole report page for one summary tree, as a string. */
import { countsText } from './counts-text.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import { errorEntries } from './error-entries.js';
import { formatShare } from './number-text.js';
import { formatSize } from '#backup/report/size-format.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { largestSaveSubtrees } from './largest-subtrees.js';
import { buildPageModel, defaultPageLimits, type PageLimits, type PageNode } from './page-model.js';
import { pageHtml } from './page-template.js';
import type { ReportData } from './report-data.js';
import { errorsTableHtml, largestTableHtml } from './report-tables.js';
import { bytesOf, type SpaceNode } from './space-tree.js';
import { tileClassLabels, type TileClass } from './tile-class.js';
import type { PageAssets } from './page-assets.js';

/** Knobs of the page; the defaults suit a whole system's scan. */
export interface RenderOptions {
  /** How many tiles the map may draw; default {@link defaultPageLimits}. */
  readonly limits?: PageLimits;
  /** Rows in the table of largest save subtrees, and most rows of errors. */
  readonly largestRows?: number;
  /** Most rows in the table of errors. */
  readonly errorRows?: number;
}

/** The whole report page for a summary tree: map, legend and tables, in one offline file, with `assets` inlined. */
export function renderHtmlReport(tree: SpaceNode, assets: PageAssets, options: RenderOptions = {}): string {
  const model = buildPageModel(tree, options.limits ?? defaultPageLimits);
  const data: ReportData = { root: model.root, labels: tileClassLabels };
  return pageHtml({
    rootPath: escapePath(tree.path),
    summaryHtml: summaryHtml(tree),
    legendHtml: legendHtml(classesIn(model.root)),
    largestTableHtml: largestTableHtml(largestSaveSubtrees(tree, options.largestRows ?? 50), tree, model.idOf),
    errorsTableHtml: errorsTableHtml(errorEntries(tree, options.errorRows ?? 1000)),
    dataJson: jsonForScript(data),
    assets,
  });
}

function summaryHtml(tree: SpaceNode): string {
  const save = bytesOf(tree.saveSize);
  const looked = save + bytesOf(tree.unmodifiedSize);
  const counts = countsText(tree.counts);
  return (
    `Save <strong>${formatSize(save)}</strong> of ${formatSize(looked)} scanned ` +
    `(${formatShare(save, looked)})${counts ? ` · ${escapeHtml(counts)}` : ''}`
  );
}

function classesIn(root: PageNode): Set<TileClass> {
  const seen = new Set<TileClass>();
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    seen.add(node.c);
    for (const child of node.ch ?? []) stack.push(child);
  }
  return seen;
}

function legendHtml(present: ReadonlySet<TileClass>): string {
  const items = (Object.keys(tileClassLabels) as TileClass[])
    .filter((c) => present.has(c))
    .map((c) => `<li><span class="swatch c-${c}"></span>${escapeHtml(tileClassLabels[c])}</li>`);
  return `<ul class="legend" aria-label="Colours">${items.join('')}</ul>`;
}
