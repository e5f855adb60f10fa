/**
 * Loads rule plugins by path (the interface is in domain/rules/plugin.ts). A `.js`/`.mjs` plugin is
 * imported as it is; a `.ts`/`.mts` plugin is compiled in memory with the `typescript` package
 * (type checking is the plugin author's business) and imported from a data: URL, so it may
 * import node built-ins and use `import type`, but not import files beside it. Nothing is written.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError, rulesFromPlugin, type PluginContext } from '#backup/domain/rules/plugin.js';
import type { Rule } from '#backup/domain/rules/rule.js';

/** The rules the plugin at `path` gives; throws {@link PluginError} with the path in the message. */
export async function loadRulePlugin(path: string, context: PluginContext): Promise<Rule[]> {
  const absolute = resolve(path);
  let module: { default?: unknown };
  try {
    module = /\.[mc]?ts$/.test(absolute) ? await importTypeScript(absolute) : ((await import(pathToFileURL(absolute).href)) as { default?: unknown });
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(`${path}: cannot load the plugin: ${(error as Error).message}`);
  }
  if (module.default === undefined) throw new PluginError(`${path}: the plugin has no default export`);
  return rulesFromPlugin(module.default, path, context);
}

async function importTypeScript(path: string): Promise<{ default?: unknown }> {
  const source = await readFile(path, 'utf8');
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw new PluginError(`${path}: a TypeScript plugin needs the typescript package installed (or compile it to .js)`);
  }
  const output = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false },
    reportDiagnostics: true,
  });
  const problems = (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (problems.length > 0) throw new PluginError(`${path}: ${problems.join('; ')}`);
  return (await import(`data:text/javascript;base64,${Buffer.from(output.outputText).toString('base64')}`)) as { default?: unknown };
}
