/**
 * Click a column header to sort its table by that column; click again to reverse. Cells carry
 * their sort key in `data-sort`; `aria-sort` tells assistive technology the order.
 */

function sortBy(table: HTMLTableElement, header: HTMLTableCellElement): void {
  const column = header.cellIndex;
  const numeric = header.dataset.type === 'number';
  // Numbers start largest first, text A to Z; a second click reverses.
  const first = numeric ? 'descending' : 'ascending';
  const order = header.getAttribute('aria-sort') === first ? (first === 'ascending' ? 'descending' : 'ascending') : first;
  for (const th of Array.from(table.tHead!.rows[0]!.cells)) th.setAttribute('aria-sort', 'none');
  header.setAttribute('aria-sort', order);
  const body = table.tBodies[0]!;
  const key = (row: HTMLTableRowElement) => row.cells[column]?.dataset.sort ?? '';
  const compare = numeric
    ? (a: HTMLTableRowElement, b: HTMLTableRowElement) => compareDecimal(key(a), key(b))
    : (a: HTMLTableRowElement, b: HTMLTableRowElement) => key(a).localeCompare(key(b));
  const rows = Array.from(body.rows).sort((a, b) => (order === 'ascending' ? compare(a, b) : compare(b, a)));
  body.append(...rows);
}

/** Compares non-negative decimal strings exactly, however long. */
function compareDecimal(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

for (const table of Array.from(document.querySelectorAll<HTMLTableElement>('table.sortable'))) {
  table.tHead?.addEventListener('click', (event) => {
    const header = event.target instanceof Element ? event.target.closest('th') : null;
    if (header) sortBy(table, header);
  });
}
