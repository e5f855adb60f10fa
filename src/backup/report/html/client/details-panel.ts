/** The panel that says what a hovered or focused tile is: path, sizes, shares, counts, note. */

const panel = document.getElementById('details')!;

function row(list: HTMLElement, term: string, value: string | undefined): void {
  if (!value) return;
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

document.addEventListener('report:describe', ({ detail: d }) => {
  const title = document.createElement('p');
  title.className = 'details-path';
  title.textContent = d.path;
  const list = document.createElement('dl');
  row(list, 'Save', `${d.save} · ${d.shareOfTotal} of all${d.shareOfView ? `, ${d.shareOfView}` : ''}`);
  row(list, 'Unmodified', d.unmodified);
  row(list, 'Saved part', d.savedPart);
  row(list, 'Kind', d.kind);
  row(list, 'Entries', d.counts);
  row(list, 'Holds', d.contents);
  row(list, 'Not drawn', d.hidden);
  row(list, 'Rule note', d.note);
  row(list, 'Reason', d.reason);
  panel.replaceChildren(title, list);
});
