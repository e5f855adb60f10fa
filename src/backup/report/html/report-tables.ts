/**
 * The report's two tables as static HTML: the largest save subtrees and the entries with
 * errors. Every cell carries a `data-sort` key so the page's script can sort any column.
 */
import { countsText } from './counts-text.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import type { ErrorList } from './error-entries.js';
import { formatCount, formatShare } from './number-text.js';
import { formatSize } from '#backup/report/size-format.js';
import { escapeHtml } from './html-escape.js';
import type { Ranked } from './largest-subtrees.js';
import { bytesOf, type SpaceNode } from './space-tree.js';

type ColumnType = 'text' | 'number';

function header(columns: ReadonlyArray<readonly [label: string, type: ColumnType]>): string {
  const cells = columns.map(
    ([label, type]) =>
      `<th scope="col" data-type="${type}" aria-sort="none"><button type="button" class="sort">${escapeHtml(label)}</button></th>`,
  );
  return `<thead><tr>${cells.join('')}</tr></thead>`;
}

function cell(text: string, sortKey: string | number, extraClass = ''): string {
  const klass = extraClass ? ` class="${extraClass}"` : '';
  return `<td${klass} data-sort="${escapeHtml(String(sortKey))}">${escapeHtml(text)}</td>`;
}

function pathCell(path: string, pageId: number | undefined): string {
  const shown = escapeHtml(escapePath(path));
  const body =
    pageId === undefined
      ? shown
      : `<button type="button" class="zoom-link" data-zoom="${pageId}" title="Show in the map">${shown}</button>`;
  return `<td class="path" data-sort="${shown}">${body}</td>`;
}

/** The sortable table of the largest save subtrees, paths linking to their tiles. */
export function largestTableHtml(ranked: readonly Ranked[], tree: SpaceNode, idOf: ReadonlyMap<SpaceNode, number>): string {
  if (ranked.length === 0) return '<p class="empty">Nothing to save.</p>';
  const total = bytesOf(tree.saveSize);
  const rows = ranked.map(({ node, saveSize }) => {
    const unmodified = bytesOf(node.unmodifiedSize);
    return (
      `<tr>${pathCell(node.path, idOf.get(node))}` +
      cell(formatSize(saveSize), saveSize.toString(), 'size') +
      cell(formatSize(unmodified), unmodified.toString(), 'size') +
      cell(formatShare(saveSize, total), saveSize.toString(), 'size') +
      cell(countsText(node.counts), node.counts ? Object.values(node.counts).reduce((a, b) => a + b, 0) : 0) +
      cell(node.note ?? '', node.note ?? '') +
      '</tr>'
    );
  });
  return (
    `<table class="sortable" id="largest-table"><caption>The ${formatCount(ranked.length)} largest save subtrees</caption>` +
    header([['Path', 'text'], ['Save', 'number'], ['Unmodified', 'number'], ['Share', 'number'], ['Entries', 'number'], ['Rule note', 'text']]) +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

const problemWords = { unreadable: 'unreadable', 'not-scanned': 'not scanned' } as const;

/** The sortable table of entries that could not be scanned, or a line saying there are none. */
export function errorsTableHtml(errors: ErrorList): string {
  if (errors.total === 0) return '<p class="empty">No errors: every entry was read and scanned.</p>';
  const rows = errors.shown.map(
    (entry) =>
      `<tr>${pathCell(entry.path, undefined)}` +
      cell(problemWords[entry.class], entry.class) +
      cell(entry.reason ?? '', entry.reason ?? '') +
      '</tr>',
  );
  const caption =
    errors.shown.length < errors.total
      ? `The first ${formatCount(errors.shown.length)} of ${formatCount(errors.total)} entries with errors`
      : `${formatCount(errors.total)} ${errors.total === 1 ? 'entry' : 'entries'} with errors`;
  return (
    `<table class="sortable" id="errors-table"><caption>${caption}</caption>` +
    header([['Path', 'text'], ['Problem', 'text'], ['Reason', 'text']]) +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
