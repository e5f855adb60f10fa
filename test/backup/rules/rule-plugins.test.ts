import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRulePlugin } from '#backup/adapters/rule-plugins/rule-plugins.js';
import { PluginError } from '#backup/domain/rules/plugin.js';
import { bins, childEnv, repoRoot } from '#test/support/child-env.js';

const context = { homes: ['/root', '/home/*'] };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cave-plugins-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('loading rule plugins by path', () => {
  it('loads the documented TypeScript example, compiled in memory', async () => {
    const rules = await loadRulePlugin(join(repoRoot, 'docs/examples/rules-plugin.ts'), context);
    expect(rules.map((r) => `${r.name}:${r.action}`)).toEqual(['vm-images:skip', 'node-modules:skip', 'redis:dump', 'mail:save', 'mail:save']);
    expect(rules[1]!.matches({ path: '/home/al/app/node_modules', directory: true })).toBe(true);
    expect(rules[1]!.matches({ path: '/node_modules', directory: true })).toBe(false);
    expect(rules[3]!.matches({ path: '/root/Maildir', directory: true })).toBe(true);
  });

  it('loads a JavaScript module exporting an array', async () => {
    const path = join(dir, 'plain.mjs');
    await writeFile(path, "export default [{ name: 'big', action: 'skip', match: (t) => t.path.endsWith('.iso') }];\n");
    const [rule] = await loadRulePlugin(path, context);
    expect(rule).toMatchObject({ name: 'big', action: 'skip', source: path });
    expect(rule!.matches({ path: '/srv/x.iso', directory: false })).toBe(true);
  });

  it.each([
    ['missing.mjs', null, 'cannot load the plugin'],
    ['nodefault.mjs', 'export const rules = [];\n', 'has no default export'],
    ['bad-rule.mjs', "export default [{ name: 'x', action: 'keep', pattern: '/x' }];\n", 'action must be one of'],
    ['throws.mjs', "throw new Error('boom');\n", 'cannot load the plugin: boom'],
    ['broken.ts', 'export default [ {;\n', 'broken.ts:'],
  ])('refuses %s with a message naming it', async (name, text, words) => {
    const path = join(dir, name);
    if (text !== null) await writeFile(path, text);
    const load = loadRulePlugin(path, context);
    await expect(load).rejects.toThrow(PluginError);
    await expect(loadRulePlugin(path, context)).rejects.toThrow(words);
  });
});

describe('a TypeScript plugin where the typescript package is not installed', () => {
  it('loads all the same: the transpiler is a dependency of the program, not of its build', async () => {
    // Module hooks make `typescript` unresolvable, as in a global install without devDependencies.
    const hooks = join(dir, 'no-typescript-hooks.mjs');
    await writeFile(
      hooks,
      "export async function resolve(specifier, context, next) {\n  if (specifier === 'typescript') throw new Error('typescript is not installed');\n  return next(specifier, context);\n}\n",
    );
    const register = join(dir, 'no-typescript.mjs');
    await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
    // And for require(): the program is CommonJS (build-dist.mjs); a plugin is imported.
    const requireHook = join(dir, 'no-typescript.cjs');
    await writeFile(
      requireHook,
      "const Module = require('node:module');\nconst resolve = Module._resolveFilename;\nModule._resolveFilename = function (request, ...rest) {\n  if (request === 'typescript') throw new Error('typescript is not installed');\n  return resolve.call(this, request, ...rest);\n};\n",
    );
    const sys = await mkdtemp(join(dir, 'sys-'));
    await writeFile(join(sys, 'disk.qcow2'), 'image');
    await writeFile(join(sys, 'notes'), 'kept');
    const args = ['--require', requireHook, '--import', register, bins.whatToBackup, '--root', sys, '--package-db', 'none', '--rules-plugin', join(repoRoot, 'docs/examples/rules-plugin.ts')];
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { env: childEnv({ XDG_CACHE_HOME: join(dir, 'cache') }) });
    expect(stdout).toBe('/notes\n');
    expect(stderr).toContain('excluded  /disk.qcow2  rule vm-images');
  });
});
