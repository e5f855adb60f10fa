/**
 * The report as the installed program writes it: from the build in dist/, where the page's
 * scripts are the compiled files, not the TypeScript sources the other tests compile on the fly.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { childEnv, repoRoot } from '#test/support/child-env.js';
import { launchChromium, openReport, type OpenBrowser } from '#test/backup/html/support/browser.js';
import { breadcrumb, clickTile } from '#test/backup/html/support/page-reading.js';
import { summaryJson } from '#backup/report/json/json-report.js';

const run = promisify(execFile);
const builtWriter = `${repoRoot}dist/backup/cli/write-html-report.js`;

/** Writes the report in a separate Node process, from the summary JSON as --json would print it. */
async function writeWithBuild(summaryFile: string, htmlFile: string): Promise<void> {
  const script = `
    import { readFileSync } from 'node:fs';
    import { writeHtmlReport } from ${JSON.stringify(builtWriter)};
    await writeHtmlReport(JSON.parse(readFileSync(process.argv[1], 'utf8')), process.argv[2]);`;
  await run(process.execPath, ['--input-type=module', '-e', script, summaryFile, htmlFile], { env: childEnv() });
}

let browser: OpenBrowser;
let folder: string;
let html: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cave-html-built-'));
  const s = new BackupSummary();
  s.add({ path: '/', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/etc', kind: 'directory', class: 'unmodified', size: 0n });
  s.add({ path: '/etc/fstab', kind: 'file', class: 'modified', size: 2_000n });
  s.add({ path: '/etc/hosts', kind: 'file', class: 'unmodified', size: 300n });
  s.add({ path: '/etc/nginx', kind: 'file', class: 'new', size: 1_000n });
  s.add({ path: '/srv', kind: 'directory', class: 'new', size: 0n });
  s.add({ path: '/srv/site', kind: 'file', class: 'new', size: 5_000n });
  const summaryFile = join(folder, 'summary.json');
  writeFileSync(summaryFile, JSON.stringify(summaryJson(s.close())));
  html = join(folder, 'report.html');
  await writeWithBuild(summaryFile, html);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the report written by the built package', () => {
  it('inlines the compiled page scripts, without source map links', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toContain("'report:describe'");
    expect(page).not.toContain('sourceMappingURL');
  });

  it('works in chromium: draws, zooms and goes back, with no console errors', async () => {
    const { page, problems } = await openReport(browser, html);
    await clickTile(page, 'etc');
    expect(await breadcrumb(page)).toEqual(['/', 'etc']);
    await page.click('#breadcrumb button:text-is("/")');
    expect(await breadcrumb(page)).toEqual(['/']);
    expect(problems).toEqual([]);
    await page.close();
  });
});
