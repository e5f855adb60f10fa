/** Reading the drawn treemap back out of the page. */
import type { Page } from 'playwright-core';

/** Drawn tiles at a level below the folder in view (1: its entries, 2: theirs): name and area in px². */
export function drawnTiles(page: Page, level: 1 | 2 = 1): Promise<Array<{ name: string; area: number }>> {
  return page.$$eval(`#treemap .tile.d${level}`, (tiles) => {
    // Names come from the page's own data, so tiles too small for a label are read too.
    interface Node { id: number; n: string; ch?: Node[] }
    const names = new Map<number, string>();
    const stack = [(JSON.parse(document.getElementById('report-data')!.textContent!) as { root: Node }).root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      names.set(node.id, node.n);
      stack.push(...(node.ch ?? []));
    }
    return tiles.map((tile) => {
      const box = tile.getBoundingClientRect();
      return { name: names.get(Number((tile as HTMLElement).dataset.id))!, area: box.width * box.height };
    });
  });
}

export async function visibleTileNames(page: Page, level: 1 | 2 = 1): Promise<string[]> {
  return (await drawnTiles(page, level)).map((tile) => tile.name);
}

/** Clicks a folder's tile on its frame, where its own entries do not cover it. */
export async function clickTile(page: Page, name: string): Promise<void> {
  await page.locator(`#treemap .tile.d1[aria-label^="${name},"]`).click({ position: { x: 5, y: 5 } });
}

export async function breadcrumb(page: Page): Promise<string[]> {
  return page.locator('#breadcrumb li').allTextContents();
}

export function focusedTile(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label')?.split(',')[0]);
}
