/**
 * Loads rule plugins by path (the interface is in domain/rules/plugin.ts). A `.js`/`.mjs` plugin is
 * imported as it is; a `.ts`/`.mts` plugin has its types stripped in memory by sucrase, a runtime
 * dependency of what-to-backup (Node 20 cannot strip types itself, and the `typescript` compiler
 * is only a build tool, absent from an installed package); type checking is the plugin author's
 * business. It is imported from a data: URL, so it may import node built-ins and use
 * `import type`, but not import files beside it. Nothing is written.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, PluginError, rulesFromPlugin, type PluginContext } from '#backup/domain/rules/plugin.js';
import type { Rule } from '#backup/domain/rules/rule.js';

/** The rules the plugin at `path` gives; throws {@link PluginError} with the path in the message. */
export async function loadRulePlugin(path: string, context: PluginContext): Promise<Rule[]> {
  const absolute = resolve(path);
  let module: { default?: unknown };
  try {
    module = /\.[mc]?ts$/.test(absolute) ? await importTypeScript(absolute) : ((await import(pathToFileURL(absolute).href)) as { default?: unknown });
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(`${path}: cannot load the plugin: ${messageOf(error)}`);
  }
  if (module.default === undefined) throw new PluginError(`${path}: the plugin has no default export`);
  return rulesFromPlugin(module.default, path, context);
}

async function importTypeScript(path: string): Promise<{ default?: unknown }> {
  const source = await readFile(path, 'utf8');
  const { transform } = await import('sucrase');
  let code: string;
  try {
    // Only the types go: the rest is left as written, for Node 20 to run.
    code = transform(source, { transforms: ['typescript'], disableESTransforms: true, filePath: path }).code;
  } catch (error) {
    throw new PluginError(`${path}: ${messageOf(error)}`);
  }
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default?: unknown };
}
