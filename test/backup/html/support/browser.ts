/**
 * Debian's chromium, driven by playwright-core (which never downloads a browser), with a fresh
 * profile and everything that could reach the network switched off.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; Fedora names its binary chromium-browser. */
export const chromiumPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path)) ?? '/usr/bin/chromium';

export interface OpenBrowser {
  readonly browser: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<OpenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cave-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser: context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Problems the page reported: console errors, uncaught exceptions, refused requests. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) problems.push(`network request: ${request.url()}`);
  });
  return problems;
}

export interface OpenedReport {
  readonly page: Page;
  /** Filled as the page runs; see collectProblems. */
  readonly problems: string[];
}

/** Opens a report file at a viewport size and waits for the first picture. */
export async function openReport(open: OpenBrowser, file: string, viewport = { width: 1280, height: 800 }): Promise<OpenedReport> {
  const page = await open.browser.newPage();
  await page.setViewportSize(viewport);
  const problems = collectProblems(page);
  await page.goto(`file://${file}`);
  await page.waitForSelector('html[data-ready-ms]');
  return { page, problems };
}
