// Emits dist/ from src/ as CommonJS, one file per source with its source map (commonjs-emit.mjs),
// for node 20: its ES module loader took ~0.4 ms a module (resolve, an asynchronous read, link)
// against ~0.12 ms for require(), and a --quick rescan of 100,000 files loads 85 of ours: ~10% of
// its time (measured, issue #15). The sources stay ES modules, type-checked by `npm run typecheck`
// (tsconfig.json); this only transpiles them (their settings are isolatedModules-safe).
// The HTML page's scripts (report/html/client) are emitted as they are, for the browser: the page
// inlines them (read-page-assets.ts). tsc building them would also emit, as ES modules, the files
// they import types from, over the CommonJS ones.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitCommonJs, importPrefixes } from './commonjs-emit.mjs';

const top = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ts = createRequire(import.meta.url)('typescript');
const CLIENT = join(top, 'src/backup/report/html/client');

/** What tsconfig.build.json lists and sets, read as tsc would. */
function buildConfig() {
  const path = join(top, 'tsconfig.build.json');
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, top, undefined, path);
  if (!parsed.options.outDir || !parsed.options.rootDir) throw new Error(`${path}: outDir and rootDir are needed`);
  return parsed;
}

/** A page script as the browser runs it: as read-page-assets.ts compiles it from source. */
function emitForBrowser(text, fileName) {
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: true };
  const { outputText, sourceMapText } = ts.transpileModule(text, { compilerOptions: options, fileName });
  return { code: outputText, map: JSON.parse(sourceMapText) };
}

/** One source into dist: its .js and .js.map, the map naming the source as tsc's would. */
function emit(source, options, prefixes) {
  const out = join(options.outDir, relative(options.rootDir, source)).replace(/\.ts$/, '.js');
  const text = readFileSync(source, 'utf8');
  const { code, map } = dirname(source) === CLIENT ? emitForBrowser(text, source) : emitCommonJs(text, source, options, prefixes);
  const name = out.slice(out.lastIndexOf('/') + 1);
  map.file = name;
  map.sources = [relative(dirname(out), source)];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${name}.map`));
  writeFileSync(`${out}.map`, JSON.stringify(map));
}

const { options, fileNames } = buildConfig();
const prefixes = importPrefixes(JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')).imports, top);
rmSync(options.outDir, { recursive: true, force: true }); // no module left over from a source since removed
const clientFiles = readdirSync(CLIENT).filter((name) => name.endsWith('.ts')).map((name) => join(CLIENT, name));
for (const source of [...fileNames, ...clientFiles]) if (!source.endsWith('.d.ts')) emit(source, options, prefixes);
// Its modules are CommonJS; the root's package.json says ES modules, for src/.
writeFileSync(join(options.outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
