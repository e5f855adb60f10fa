/**
 * From the domain's summary to the page a user opens: the JSON form (as `--json` prints it)
 * through writeHtmlReport into chromium, with names chosen to break things.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SummaryJson } from '#backup/report/json/json-report.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { writeHtmlReport } from '#backup/cli/write-html-report.js';
import { launchChromium, openReport, type OpenBrowser } from '#test/backup/html/support/browser.js';
import { breadcrumb, clickTile, visibleTileNames } from '#test/backup/html/support/page-reading.js';
import { summaryJson } from '#backup/report/json/json-report.js';

const imgName = '<img src=x onerror=window.pwned=1>';
const scriptName = '<script>window.pwned=2';

function summary(): SummaryJson {
  const s = new BackupSummary();
  s.add({ path: '/', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/home', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: `/home/${imgName}`, kind: 'file', class: 'new', size: 3_000_000n });
  s.add({ path: `/home/${scriptName}`, kind: 'file', class: 'new', size: 2_000_000n });
  s.add({ path: '/home/caf\xc3\xa9', kind: 'file', class: 'new', size: 1_500_000n });
  s.add({ path: '/home/bad\xff', kind: 'file', class: 'modified', size: 1_000_000n });
  s.add({ path: '/home/.profile', kind: 'file', class: 'unmodified', size: 500_000n });
  s.add({ path: '/srv', kind: 'directory', class: 'new', size: 0n });
  s.add({ path: '/srv/www', kind: 'file', class: 'new', size: 4_000_000n });
  s.add({ path: '/mnt', kind: 'directory', class: 'not-scanned', size: 0n, reason: 'another file system' });
  return JSON.parse(JSON.stringify(summaryJson(s.close()))) as SummaryJson;
}

let browser: OpenBrowser;
let folder: string;
let file: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cave-html-json-'));
  file = join(folder, 'report.html');
  await writeHtmlReport(summary(), file);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('a report written from the summary JSON', () => {
  it('is one HTML file', () => {
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('shows hostile names as text without running them, and non-UTF-8 bytes escaped', async () => {
    const { page, problems } = await openReport(browser, file);
    await clickTile(page, 'home');
    expect(await breadcrumb(page)).toEqual(['/', 'home']);
    const names = await page.locator('#treemap .tile.d1 .name').allTextContents();
    expect(names).toEqual(expect.arrayContaining([imgName, scriptName, 'café', 'bad\\xff']));
    await page.check('#area-total');
    expect(await page.locator('#treemap .tile.d1 .name').allTextContents()).toContain('1 unmodified');
    const paths = await page.locator('#largest-table td.path').allTextContents();
    expect(paths).toEqual(expect.arrayContaining([`/home/${imgName}`, '/home/bad\\xff']));
    expect(await page.evaluate(() => (window as Window & { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#treemap img, #largest-table img').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists what was not scanned, with the reason', async () => {
    const { page } = await openReport(browser, file);
    expect(await page.locator('#errors-table tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^\/mnt\s+not scanned\s+another file system$/),
    ]);
    expect(await visibleTileNames(page)).toEqual(expect.arrayContaining(['home', 'srv']));
    await page.close();
  });
});
