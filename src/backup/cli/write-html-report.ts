/** `what-to-backup --html FILE`: the report page for a summary's JSON form, written to FILE. */
import { writeFile } from 'node:fs/promises';
import type { SummaryJson } from '#backup/report/json/json-report.js';
import { renderHtmlReport, type RenderOptions } from '#backup/report/html/render-html-report.js';
import { spaceTreeFromJson } from '#backup/report/html/summary-json-tree.js';
import { readPageAssets } from './read-page-assets.js';

/** Render the page for a summary and write it to `file`. */
export async function writeHtmlReport(summary: SummaryJson, file: string, options: RenderOptions = {}): Promise<void> {
  await writeFile(file, renderHtmlReport(spaceTreeFromJson(summary), readPageAssets(), options));
}
