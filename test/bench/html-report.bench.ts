/**
 * How fast the HTML report opens for a million-file scan, in Debian's chromium: time from
 * navigation to the first drawn treemap, against a ten-entry report opened in the same run.
 * The issue asks for under 2 s; the scan is the hard case, where nothing folds: every folder
 * holds one intact package file among its new and modified ones, so each file stays a node.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryJson, type SummaryJson } from '#backup/report/json/json-report.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { renderHtmlReport } from '#backup/report/html/render-html-report.js';
import { spaceTreeFromJson } from '#backup/report/html/summary-json-tree.js';
import { writeHtmlReport } from '#backup/cli/write-html-report.js';
import { repoRoot } from '#test/support/child-env.js';
import { launchChromium, openReport, type OpenBrowser } from '#test/backup/html/support/browser.js';
import { sampleOutline, treeOf } from '#test/backup/html/support/sample-tree.js';
import { readPageAssets } from '#backup/cli/read-page-assets.js';

/** A reproducible heavy-tailed file size, 1 byte to a few MB. */
function sizes(seed: number): () => bigint {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return BigInt(Math.floor(Math.exp((state / 2 ** 31) * 15)));
  };
}

/** 10 users × 20 projects × 10 folders × 500 files = 1,000,000 files. */
function millionFileSummary(): SummaryJson {
  const next = sizes(42);
  const s = new BackupSummary();
  s.add({ path: '/', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/home', kind: 'directory', class: 'unmodified', size: 0n });
  let files = 0;
  for (let u = 0; u < 10; u++) {
    s.add({ path: `/home/u${u}`, kind: 'directory', class: 'new', size: 0n });
    for (let p = 0; p < 20; p++) {
      s.add({ path: `/home/u${u}/p${p}`, kind: 'directory', class: 'new', size: 0n });
      for (let d = 0; d < 10; d++) {
        const dir = `/home/u${u}/p${p}/d${d}`;
        s.add({ path: dir, kind: 'directory', class: 'new', size: 0n });
        for (let f = 0; f < 500; f++, files++) {
          const cls = f === 0 ? 'unmodified' : f % 10 === 0 ? 'modified' : 'new';
          s.add({ path: `${dir}/f${f}`, kind: 'file', class: cls, size: next() });
        }
      }
    }
  }
  expect(files).toBe(1_000_000);
  return summaryJson(s.close());
}

const ms = (start: number) => performance.now() - start;

describe('HTML report benchmark', () => {
  let browser: OpenBrowser;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cave-html-bench-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Median of three openings: ms from navigation start to the first picture, as the page measures it. */
  async function openTime(file: string): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { page, problems } = await openReport(browser, file);
      times.push(Number(await page.getAttribute('html', 'data-ready-ms')));
      expect(problems).toEqual([]);
      await page.close();
    }
    return times.sort((a, b) => a - b)[1]!;
  }

  /** Layout and redraw for a click into the largest folder, then the breadcrumb back to the root. */
  async function zoomTime(file: string): Promise<number> {
    const { page } = await openReport(browser, file);
    mkdirSync(join(repoRoot, 'reports'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'reports/html-report-million.png') });
    const time = await page.evaluate(() => {
      const start = performance.now();
      document.querySelector<HTMLElement>('#treemap .tile.d1.folder')!.click();
      document.querySelector<HTMLElement>('#breadcrumb button')!.click();
      return performance.now() - start;
    });
    await page.locator('#treemap .tile.d1.folder').first().click({ position: { x: 5, y: 5 } });
    await page.locator('#treemap .tile.d1.folder').first().click({ position: { x: 5, y: 5 } });
    await page.locator('#treemap .tile.d1.folder').first().click({ position: { x: 5, y: 5 } });
    await page.screenshot({ path: join(repoRoot, 'reports/html-report-million-zoomed.png') });
    await page.close();
    return time;
  }

  it('opens a million-file report in under 2 s', async () => {
    readPageAssets(); // read once per process; not part of any one report
    const small = join(folder, 'small.html');
    writeFileSync(small, renderHtmlReport(treeOf(sampleOutline), readPageAssets()));

    let start = performance.now();
    const json = millionFileSummary();
    const summarising = ms(start);
    start = performance.now();
    const tree = spaceTreeFromJson(json);
    const html = renderHtmlReport(tree, readPageAssets());
    const rendering = ms(start);
    const big = join(folder, 'million.html');
    start = performance.now();
    await writeHtmlReport(json, big);
    const writing = ms(start);

    const baseline = await openTime(small);
    const million = await openTime(big);
    const zooming = await zoomTime(big);
    const megabytes = statSync(big).size / 2 ** 20;
    const tiles = (html.match(/"id":/g) ?? []).length;
    console.log(
      [
        `million-file scan: summary ${summarising.toFixed(0)} ms, page built in ${rendering.toFixed(0)} ms, ` +
          `writeHtmlReport ${writing.toFixed(0)} ms, ${megabytes.toFixed(1)} MiB, ${tiles} tiles`,
        `open to first picture: ${million.toFixed(0)} ms, ${(million / baseline).toFixed(1)}× a 20-entry report (${baseline.toFixed(0)} ms)`,
        `zoom into the largest folder and back: ${zooming.toFixed(0)} ms`,
      ].join('\n'),
    );
    expect(million).toBeLessThan(2000);
  });
});
