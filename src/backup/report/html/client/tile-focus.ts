/**
 * Keyboard focus in the map: one tile at a time is in the tab order (a roving tabindex), and
 * the arrow keys move to the nearest tile in their direction; Home and End jump to the ends.
 */

const map = document.getElementById('treemap')!;
const tiles = () => Array.from(map.querySelectorAll<HTMLElement>('.tile.d1'));

function moveFocus(to: HTMLElement | undefined): void {
  if (!to) return;
  for (const tile of tiles()) tile.tabIndex = tile === to ? 0 : -1;
  to.focus();
}

const centre = (el: HTMLElement) => {
  const r = el.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
};

/** The tile nearest `from` in direction (dx, dy), favouring tiles straight ahead. */
function nearest(from: HTMLElement, dx: number, dy: number): HTMLElement | undefined {
  const a = centre(from);
  let best: HTMLElement | undefined;
  let bestScore = Infinity;
  for (const tile of tiles()) {
    if (tile === from) continue;
    const b = centre(tile);
    const ahead = (b.x - a.x) * dx + (b.y - a.y) * dy;
    if (ahead <= 0) continue;
    const aside = Math.abs((b.x - a.x) * dy) + Math.abs((b.y - a.y) * dx);
    const score = ahead + 2 * aside;
    if (score < bestScore) [best, bestScore] = [tile, score];
  }
  return best;
}

const directions: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

map.addEventListener('keydown', (event) => {
  const current = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('.tile.d1') : null;
  if (!current) return;
  const all = tiles();
  const direction = directions[event.key];
  const next = direction ? nearest(current, ...direction) : event.key === 'Home' ? all[0] : event.key === 'End' ? all.at(-1) : undefined;
  if (!direction && !next) return;
  event.preventDefault();
  moveFocus(next);
});

document.addEventListener('report:rendered', ({ detail }) => {
  const all = tiles();
  const chosen = all.find((tile) => Number(tile.dataset.id) === detail.focusId) ?? all[0];
  for (const tile of all) tile.tabIndex = tile === chosen ? 0 : -1;
  if (detail.takeFocus) (chosen ?? map).focus();
});
