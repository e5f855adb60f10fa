/**
 * The page's HTML around its parts. A Content-Security-Policy forbids every network request:
 * the page is meant to be opened from a file and to work offline, and it must never leak paths.
 */
import { escapeHtml, scriptForInline } from './html-escape.js';
import type { PageAssets } from './page-assets.js';
import { pageStyle } from './page-style.js';

/** What the page is made of, each part ready to insert. */
export interface PageParts {
  /** Plain text; escaped here. */
  readonly rootPath: string;
  /** HTML fragments, already escaped by their makers. */
  readonly summaryHtml: string;
  /** The colour legend. */
  readonly legendHtml: string;
  /** The table of largest save subtrees. */
  readonly largestTableHtml: string;
  /** The table of entries that could not be scanned. */
  readonly errorsTableHtml: string;
  /** From jsonForScript. */
  readonly dataJson: string;
  /** The scripts to inline. */
  readonly assets: PageAssets;
}

const policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/** The complete page, with a Content-Security-Policy that allows no request. */
export function pageHtml(parts: PageParts): string {
  const root = escapeHtml(parts.rootPath);
  const modules = parts.assets.scripts.map((script) => `<script type="module">\n${scriptForInline(script)}\n</script>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>What to back up: ${root}</title>
<style>${pageStyle}</style>
</head>
<body>
<header>
<h1>What to back up from <span class="root-path">${root}</span></h1>
<p class="summary">${parts.summaryHtml}</p>
</header>
<div class="controls">
<fieldset class="area-choice"><legend>Area</legend>
<label><input type="radio" name="area" id="area-save" value="save" checked> save size</label>
<label><input type="radio" name="area" id="area-total" value="total"> save + unmodified</label>
</fieldset>
${parts.legendHtml}
</div>
<nav id="breadcrumb" aria-label="Folder in view"></nav>
<main class="map-area">
<div id="treemap" role="group" aria-label="Treemap" aria-describedby="map-help"></div>
<aside id="details" aria-live="polite" aria-label="Details of the tile under the pointer or focus"></aside>
</main>
<p id="map-help" class="help">Click a folder or press Enter on it to zoom in; Backspace, Escape or the breadcrumb go back; arrow keys move between tiles.</p>
<section class="tables">
<h2>Largest save subtrees</h2>
<div class="table-wrap">${parts.largestTableHtml}</div>
<h2>Entries with errors</h2>
<div class="table-wrap">${parts.errorsTableHtml}</div>
</section>
<script type="application/json" id="report-data">${parts.dataJson}</script>
<script>${scriptForInline(parts.assets.d3)}</script>
${modules.join('\n')}
</body>
</html>
`;
}
