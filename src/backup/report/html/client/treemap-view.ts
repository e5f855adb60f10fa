/**
 * The zoomable treemap, run in the browser. d3-hierarchy (inlined before this script as the
 * global `d3`) lays out the folder in view; tiles are absolutely placed elements, so each can
 * take focus and hold a label. Area is save size, or save + unmodified size on demand.
 */
import type { HierarchyNode, HierarchyRectangularNode } from 'd3-hierarchy';
import type { PageNode } from '#backup/report/html/page-model.js';
import type { ReportData } from '#backup/report/html/report-data.js';
import type { RenderedTiles, TileDescription, ZoomTrail } from './report-events.js';

declare const d3: typeof import('d3-hierarchy');

type Node = HierarchyNode<PageNode>;
type Box = HierarchyRectangularNode<PageNode>;

const labelHeight = 18;
const framePadding = 2;
/** Levels drawn below the folder in view: its entries, theirs, and theirs. */
const levels = 3;
/** Below these areas (px²) a tile is not drawn; the cap keeps redraws quick on huge folders. */
const minArea = { top: 1, inner: 40 };
const maxInnerTiles = 4000;

const data = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportData;
const map = document.getElementById('treemap')!;
const root: Node = d3.hierarchy(data.root, (d) => d.ch);
const byId = new Map<number, Node>();
root.each((node) => byId.set(node.data.id, node));

let view: Node = root;
/** The map's size at the last layout, so a resize to the same size does not redraw. */
let drawnSize: [number, number] = [0, 0];
let withUnmodified = false;

function measure(): void {
  root.sum((d) => (d.ch ? 0 : withUnmodified ? d.s + d.u : d.s)).sort((a, b) => b.value! - a.value!);
}

const isFolder = (node: Node) => Boolean(node.children?.length);

function pathOf(node: Node): string {
  const names = node.ancestors().reverse().map((n) => n.data.n);
  const [top = '', ...rest] = names;
  return rest.reduce((path, name) => (path.endsWith('/') ? path + name : `${path}/${name}`), top);
}

function share(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const pct = (100 * part) / whole;
  return pct >= 10 || pct === 0 ? `${Math.round(pct)}%` : pct >= 0.1 ? `${pct.toFixed(1)}%` : '<0.1%';
}

function describe(node: Node): void {
  const d = node.data;
  const viewSave = view.data.s;
  const detail: TileDescription = {
    path: pathOf(node),
    kind: data.labels[d.c],
    save: d.S,
    unmodified: d.U,
    shareOfTotal: share(d.s, root.data.s),
    ...(view === root ? {} : { shareOfView: `${share(d.s, viewSave)} of ${view.data.n}` }),
    savedPart: share(d.s, d.s + d.u),
    ...(d.k ? { counts: d.k } : {}),
    ...(d.t ? { note: d.t } : {}),
    ...(d.r ? { reason: d.r } : {}),
    ...(d.f ? { contents: d.f } : {}),
    ...(d.m ? { hidden: `${d.m.toLocaleString('en')} ${d.c === 'small' ? 'entries in this tile' : 'entries inside, too small to draw'}` } : {}),
  };
  document.dispatchEvent(new CustomEvent('report:describe', { detail }));
}

function layout(): Box {
  const box = map.getBoundingClientRect();
  drawnSize = [box.width, box.height];
  // Folders drawn with their contents get a frame, and a title bar when there is room for one.
  const framed = (node: Box) => node.depth >= 1 && node.depth < levels && Boolean(node.children);
  const frame = (node: Box) => (framed(node) ? framePadding : 0);
  const title = (node: Box) =>
    framed(node) && node.y1 - node.y0 > 2 * labelHeight && node.x1 - node.x0 > 40 ? labelHeight : frame(node);
  // A copy is rooted at depth 0, which is what the layout expects; it shares the data objects.
  return d3
    .treemap<PageNode>()
    .tile(d3.treemapSquarify)
    .size([box.width, box.height])
    .paddingTop(title)
    .paddingRight(frame)
    .paddingBottom(frame)
    .paddingLeft(frame)(view.copy());
}

function tileElement(box: Box, level: number): HTMLElement {
  const d = box.data;
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  const el = document.createElement('div');
  el.className = `tile c-${d.c} d${level}${isFolder(byId.get(d.id)!) ? ' folder' : ''}`;
  el.dataset.id = String(d.id);
  el.style.cssText = `left:${box.x0}px;top:${box.y0}px;width:${width}px;height:${height}px`;
  if (withUnmodified && d.s > 0 && d.u > 0) el.style.setProperty('--unmodified-part', `${(100 * d.u) / (d.s + d.u)}%`);
  if (level === 1) {
    el.tabIndex = -1;
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', `${d.n}, save ${d.S}, ${share(d.s, view.data.s)}`);
  }
  if (width > 34 && height > 14) {
    const label = document.createElement('span');
    label.className = 'label';
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = d.n;
    label.append(name);
    // A name says more than a size; the size joins it when there is room for both.
    if (width > 70) {
      const size = document.createElement('span');
      size.className = 'size';
      size.textContent = withUnmodified ? `${d.S} + ${d.U}` : d.S;
      label.append(size);
    }
    el.append(label);
  }
  return el;
}

function render(focusId: number | undefined, takeFocus: boolean): void {
  const laidOut = layout();
  const tiles = document.createDocumentFragment();
  let inner = 0;
  // Level by level, so a folder is drawn before what it holds, and the cap spares shallow tiles.
  let level: Box[] = laidOut.children ?? [];
  for (let depth = 1; depth <= levels && level.length > 0; depth++) {
    const next: Box[] = [];
    for (const box of level) {
      const area = (box.x1 - box.x0) * (box.y1 - box.y0);
      if (depth > 1 && (area < minArea.inner || inner >= maxInnerTiles)) continue;
      if (area < minArea.top) continue;
      tiles.append(tileElement(box, depth));
      if (depth > 1) inner += 1;
      if (box.children) next.push(...box.children);
    }
    level = next;
  }
  map.replaceChildren(tiles);
  map.setAttribute('aria-label', `Treemap of ${pathOf(view)}: ${view.children?.length ?? 0} entries`);
  const rendered: RenderedTiles = { takeFocus, ...(focusId === undefined ? {} : { focusId }) };
  document.dispatchEvent(new CustomEvent('report:rendered', { detail: rendered }));
}

function zoom(to: Node, takeFocus = false, focusId?: number): void {
  view = isFolder(to) ? to : (to.parent ?? root);
  const trail: ZoomTrail = { trail: view.ancestors().reverse().map((n) => ({ id: n.data.id, name: n.data.n })) };
  document.dispatchEvent(new CustomEvent('report:zoomed', { detail: trail }));
  render(focusId, takeFocus);
  describe(view);
}

function tileNode(target: EventTarget | null): Node | undefined {
  const el = target instanceof Element ? target.closest<HTMLElement>('.tile') : null;
  return el ? byId.get(Number(el.dataset.id)) : undefined;
}

map.addEventListener('click', (event) => {
  const node = tileNode(event.target);
  if (!node) return;
  // The deepest folder under the pointer that is inside the view.
  const target = isFolder(node) ? node : node.parent !== view ? node.parent! : node;
  if (isFolder(target)) zoom(target);
  else describe(node);
});
map.addEventListener('mouseover', (event) => {
  const node = tileNode(event.target);
  if (node) describe(node);
});
map.addEventListener('mouseleave', () => describe(view));
map.addEventListener('focusin', (event) => {
  const node = tileNode(event.target);
  if (node) describe(node);
});
map.addEventListener('keydown', (event) => {
  const node = tileNode(event.target);
  if ((event.key === 'Enter' || event.key === ' ') && node && isFolder(node)) {
    event.preventDefault();
    zoom(node, true);
  } else if ((event.key === 'Backspace' || event.key === 'Escape') && view.parent) {
    event.preventDefault();
    zoom(view.parent, true, view.data.id);
  }
});
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-zoom]') : null;
  const node = link ? byId.get(Number(link.dataset.zoom)) : undefined;
  if (!node) return;
  zoom(node, false, node.data.id);
  if (!link!.closest('#breadcrumb')) map.scrollIntoView({ block: 'nearest' });
});
for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="area"]'))) {
  input.addEventListener('change', () => {
    withUnmodified = input.value === 'total' && input.checked;
    measure();
    render(undefined, false);
  });
}
new ResizeObserver(() => {
  const box = map.getBoundingClientRect();
  if (Math.abs(box.width - drawnSize[0]) >= 1 || Math.abs(box.height - drawnSize[1]) >= 1) render(undefined, false);
}).observe(map);

measure();
zoom(root);
// Tests and the benchmark wait for this; it also says how long the first picture took.
document.documentElement.dataset.readyMs = performance.now().toFixed(0);
