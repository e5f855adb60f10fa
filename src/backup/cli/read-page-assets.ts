/**
 * The code the page inlines, read once per process: d3-hierarchy's own browser bundle from
 * node_modules, and the page's scripts, compiled from report/html/client/*.ts by the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PageAssets } from '#backup/report/html/page-assets.js';

const clientModules = ['breadcrumb', 'details-panel', 'tile-focus', 'sortable-tables', 'treemap-view'] as const;

let loaded: PageAssets | undefined;

/** The assets, read on first use and kept for the process. */
export function readPageAssets(): PageAssets {
  loaded ??= { d3: d3Bundle(), scripts: clientModules.map(clientScript) };
  return loaded;
}

function d3Bundle(): string {
  const require = createRequire(import.meta.url);
  // The package exports its ES module; the minified UMD bundle sits beside it in dist/.
  return readFileSync(new URL('d3-hierarchy.min.js', pathToFileURL(require.resolve('d3-hierarchy'))), 'utf8');
}

function clientScript(name: string): string {
  const compiled = new URL(`../report/html/client/${name}.js`, import.meta.url);
  const source = existsSync(compiled) ? readFileSync(compiled, 'utf8') : compileFromSource(name);
  return source.replace(/^\/\/# sourceMappingURL=.*$/m, '').trimEnd();
}

/** Running from the TypeScript sources (the tests): compile as the build would. */
function compileFromSource(name: string): string {
  const require = createRequire(import.meta.url);
  const ts = require('typescript') as typeof import('typescript');
  const source = readFileSync(new URL(`../report/html/client/${name}.ts`, import.meta.url), 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
  }).outputText;
}
