/**
 * The report page in a real browser: Debian's chromium, opened from a file:// URL, as a user
 * would open what `what-to-backup --html FILE` wrote.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpaceNode } from '#backup/report/html/space-tree.js';
import { renderHtmlReport } from '#backup/report/html/render-html-report.js';
import { repoRoot } from '#test/support/child-env.js';
import { launchChromium, openReport, type OpenBrowser } from '#test/backup/html/support/browser.js';
import { breadcrumb, clickTile, drawnTiles, focusedTile, visibleTileNames } from '#test/backup/html/support/page-reading.js';
import { balancedOutline, sampleOutline, treeOf } from '#test/backup/html/support/sample-tree.js';
import { readPageAssets } from '#backup/cli/read-page-assets.js';

const sample = treeOf(sampleOutline);
const balanced = treeOf(balancedOutline);
let browser: OpenBrowser;
let folder: string;
let sampleFile: string;
let balancedFile: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cave-html-'));
  sampleFile = join(folder, 'sample.html');
  balancedFile = join(folder, 'balanced.html');
  writeFileSync(sampleFile, renderHtmlReport(sample, readPageAssets()));
  writeFileSync(balancedFile, renderHtmlReport(balanced, readPageAssets()));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Checks the drawn areas of `parent`'s children against their save sizes in the input. */
function expectProportional(tiles: ReadonlyArray<{ name: string; area: number }>, parent: SpaceNode): void {
  const children = parent.children!;
  const drawn = tiles.filter((tile) => children.some((c) => c.name === tile.name));
  expect(drawn.map((t) => t.name).sort()).toEqual(children.map((c) => c.name).sort());
  const totalArea = drawn.reduce((sum, t) => sum + t.area, 0);
  for (const tile of drawn) {
    const expected = Number(children.find((c) => c.name === tile.name)!.saveSize) / Number(parent.saveSize);
    expect(Math.abs(tile.area / totalArea / expected - 1), `${tile.name}: area share vs size share`).toBeLessThan(0.01);
  }
}

describe('the HTML report in chromium', () => {
  it('loads from a file with no console errors and no network requests', async () => {
    const { page, problems } = await openReport(browser, sampleFile);
    expect(await visibleTileNames(page)).toEqual(expect.arrayContaining(['home', 'var', 'usr', 'opt']));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws tiles with areas proportional to the save sizes in the input, within 1%', async () => {
    const { page } = await openReport(browser, balancedFile);
    expectProportional(await drawnTiles(page, 1), balanced);
    const inner = await drawnTiles(page, 2);
    for (const folderName of ['a', 'c']) expectProportional(inner, balanced.children!.find((c) => c.name === folderName)!);
    await page.close();
  });

  it('zooms into a clicked folder, and the breadcrumb goes back', async () => {
    const { page } = await openReport(browser, sampleFile);
    await clickTile(page, 'var');
    expect(await breadcrumb(page)).toEqual(['/', 'var']);
    expect(await visibleTileNames(page, 1)).toEqual(['lib', 'log']);
    await page.locator('#treemap .tile.d2', { hasText: 'postgresql' }).click();
    expect(await breadcrumb(page)).toEqual(['/', 'var', 'lib']);
    await page.click('#breadcrumb button:text-is("/")');
    expect(await breadcrumb(page)).toEqual(['/']);
    expect(await visibleTileNames(page, 1)).toEqual(expect.arrayContaining(['home', 'var']));
    await page.close();
  });

  it('keeps proportions after zooming in', async () => {
    const { page } = await openReport(browser, balancedFile);
    await clickTile(page, 'c');
    expectProportional(await drawnTiles(page, 1), balanced.children!.find((c) => c.name === 'c')!);
    await page.close();
  });

  it('shows path, sizes, shares, counts and rule note for the tile under the pointer', async () => {
    const { page } = await openReport(browser, sampleFile);
    await clickTile(page, 'home');
    await page.locator('#treemap .tile.d2', { hasText: '.cache' }).hover();
    const details = await page.locator('#details').innerText();
    expect(details).toContain('/home/ana/.cache');
    expect(details).toContain('858M'); // 900,000,000 bytes
    expect(details).toMatch(/5\.\d% of all/);
    expect(details).toMatch(/7\.\d% of home/); // the folder in view
    expect(details).toContain('cache: safe to skip');
    expect(details).toContain('1 new');
    await page.close();
  });

  it('is usable from the keyboard: tab in, arrows move, Enter zooms, Escape returns', async () => {
    const { page } = await openReport(browser, sampleFile);
    await page.focus('#area-save');
    await page.keyboard.press('Tab');
    expect(await focusedTile(page)).toBe('home');
    expect(await page.locator('#details .details-path').innerText()).toBe('/home');
    await page.keyboard.press('ArrowRight');
    expect(['var', 'usr', 'opt']).toContain(await focusedTile(page));
    await page.keyboard.press('Home');
    expect(await focusedTile(page)).toBe('home');
    await page.keyboard.press('Enter');
    expect(await breadcrumb(page)).toEqual(['/', 'home']);
    expect(await focusedTile(page)).toBe('ana');
    await page.keyboard.press('Escape');
    expect(await breadcrumb(page)).toEqual(['/']);
    expect(await focusedTile(page)).toBe('home');
    await page.close();
  });

  it('shows unmodified sizes on demand', async () => {
    const { page } = await openReport(browser, sampleFile);
    expect(await visibleTileNames(page, 2)).not.toContain('share');
    await page.check('#area-total');
    expect(await visibleTileNames(page, 2)).toContain('share');
    await page.close();
  });

  it('sorts the table of largest subtrees by any column, and links rows to the map', async () => {
    const { page } = await openReport(browser, sampleFile);
    const firstPath = async () => (await page.locator('#largest-table tbody td.path').allTextContents())[0];
    expect(await firstPath()).toBe('/home');
    await page.click('#largest-table th:nth-child(1) button');
    expect(await firstPath()).toBe('/etc');
    await page.click('#largest-table th:nth-child(2) button');
    expect(await firstPath()).toBe('/home');
    await page.click('#largest-table th:nth-child(2) button');
    expect(await page.locator('#largest-table th:nth-child(2)').getAttribute('aria-sort')).toBe('ascending');
    await page.click('#largest-table button.zoom-link:text-is("/home/bo")');
    expect(await breadcrumb(page)).toEqual(['/', 'home', 'bo']);
    await page.close();
  });

  it('lists entries with errors', async () => {
    const { page } = await openReport(browser, sampleFile);
    expect(await page.locator('#errors-table tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^\/var\/spool\s+unreadable/)]);
    await page.close();
  });

  it('is readable at 1280×800 and on a phone, with screenshots as test artifacts', async () => {
    mkdirSync(join(repoRoot, 'reports'), { recursive: true });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const { page, problems } = await openReport(browser, sampleFile, viewport);
      const shot = (name: string) => join(repoRoot, `reports/html-report-${viewport.width}x${viewport.height}${name}.png`);
      await page.locator('#treemap .tile.d3', { hasText: 'photos' }).hover();
      await page.screenshot({ path: shot('') });
      await clickTile(page, 'home');
      await page.locator('#treemap .tile.d2', { hasText: '.cache' }).hover();
      await page.screenshot({ path: shot('-home') });
      const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(fits, `no sideways scrolling at ${viewport.width}px`).toBe(true);
      const map = (await page.locator('#treemap').boundingBox())!;
      expect(map.width).toBeGreaterThan(viewport.width * 0.6);
      expect(map.height).toBeGreaterThan(280);
      expect(problems).toEqual([]);
      await page.close();
    }
  });
});
