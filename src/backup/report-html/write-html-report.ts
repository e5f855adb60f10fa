/** `what-to-backup --html FILE`: the report page, written where the user asked. */
import { writeFile } from 'node:fs/promises';
import { renderHtmlReport, type RenderOptions } from './render-html-report.js';
import type { SpaceNode } from './space-tree.js';

export async function writeHtmlReport(tree: SpaceNode, file: string, options: RenderOptions = {}): Promise<void> {
  await writeFile(file, renderHtmlReport(tree, options));
}
