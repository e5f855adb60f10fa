/**
 * The build's emitter (src/shared/build/commonjs-emit.mjs): an ES module source becomes CommonJS
 * that node runs as the source meant it, and what CommonJS cannot express fails the build with
 * the file and line, never a dist/ that breaks when run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#test/support/child-env.js';

const run = promisify(execFile);
const top = mkdtempSync(join(tmpdir(), 'cave-emit-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

const imports = { '#lib/*': { 'cave-source': './src/lib/*', default: './dist/lib/*' } };

/** Emits each source (path below src/ → text) with the build's emitter: the code by path, or the error's message. */
async function emitted(sources: Record<string, string>): Promise<Record<string, string>> {
  const script = `
    import { emitCommonJs, importPrefixes } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src/shared/build/commonjs-emit.mjs')).href)};
    const sources = ${JSON.stringify(sources)};
    const prefixes = importPrefixes(${JSON.stringify(imports)}, ${JSON.stringify(top)});
    const out = {};
    for (const [path, text] of Object.entries(sources)) {
      try {
        out[path] = emitCommonJs(text, ${JSON.stringify(top)} + '/src/' + path, { target: 9, strict: true }, prefixes).code;
      } catch (error) {
        out[path] = error.name + ': ' + error.message;
      }
    }
    console.log(JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot });
  return JSON.parse(stdout) as Record<string, string>;
}

/** Writes the emitted files under dist/ of a fresh folder, as CommonJS, and runs `main` with node; its stdout. */
async function runEmitted(code: Record<string, string>, main: string): Promise<string> {
  const dist = mkdtempSync(join(top, 'dist-'));
  writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');
  for (const [path, text] of Object.entries(code)) {
    const file = join(dist, path.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const { stdout } = await run(process.execPath, [join(dist, main)]);
  return stdout;
}

describe('the build emitting CommonJS', () => {
  it('runs as the ES module source did: imports through the map, lazy imports, import.meta.url, a real import() kept', async () => {
    const sources = {
      'lib/words/hello.ts': "export const hello = (name: string): string => `hello ${name}`;\n",
      'lib/words/later.ts': "console.log('later loaded');\nexport const later = 'later';\n",
      'lib/main.ts': [
        "import { hello } from '#lib/words/hello.js';",
        "import type { later as Later } from './words/later.js';",
        'console.log(hello(import.meta.url.slice(-8)));',
        "console.log('before');",
        'void (async () => {',
        "  const { later } = await import('#lib/words/later.js');",
        "  const { answer } = await import('data:text/javascript,export const answer = 42;');",
        '  const kept: typeof Later = later;',
        '  console.log(kept, answer);',
        '})();',
      ].join('\n'),
    };
    const code = await emitted(sources);
    expect(code['lib/main.ts']).toContain('require("./words/hello.js")'); // relative: no imports map needed at run time
    expect(code['lib/main.ts']).toContain('Promise.resolve().then(() => require("./words/later.js"))');
    expect(code['lib/main.ts']).toContain("import('data:text/javascript"); // not ours: a real import()
    const out = await runEmitted(code, 'lib/main.js');
    expect(out.split('\n')).toEqual(['hello /main.js', 'before', 'later loaded', 'later 42', '']);
  });

  it('refuses a top-level await and import.meta other than .url, naming the file and line', async () => {
    const code = await emitted({
      'lib/waits.ts': "export const a = 1;\nconst b = await Promise.resolve(2);\nexport { b };\n",
      'lib/iterates.ts': 'for await (const x of [1]) console.log(x);\n',
      'lib/resolves.ts': "export const where = import.meta.resolve('./x.js');\n",
      'lib/fine.ts': 'export async function f(): Promise<number> {\n  return await Promise.resolve(1);\n}\n',
    });
    expect(code['lib/waits.ts']).toBe(`CommonJsEmitError: ${top}/src/lib/waits.ts:2: a top-level await has no CommonJS form`);
    expect(code['lib/iterates.ts']).toMatch(/^CommonJsEmitError: .*iterates\.ts:1: a top-level await/);
    expect(code['lib/resolves.ts']).toMatch(/^CommonJsEmitError: .*resolves\.ts:1: import\.meta other than import\.meta\.url/);
    expect(code['lib/fine.ts']).toContain('exports.f = f');
  });
});
