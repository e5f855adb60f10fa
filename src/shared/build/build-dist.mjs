// Emits dist/ from src/ as CommonJS, one file per source with its source map, for node 20: its ES
// module loader took ~0.4 ms a module (resolve, an async read, link) against ~0.12 ms for
// require(); a --quick rerun of 100,000 files loads 85 of ours, ~8% of its time (measured, issue
// #15). The sources stay ES modules, type-checked by `npm run typecheck` (tsconfig.json); this
// only transpiles (their settings are isolatedModules-safe), with TypeScript's own emitter.
//   - import.meta.url becomes the file's URL made from __filename;
//   - import() of our own modules ('#…', './…') becomes a lazy require(), as cheap as the rest;
//     any other import() (a rules plugin, a data: URL) stays a real one;
//   - '#backup/…' and the like become relative paths: node resolved each through package.json's
//     imports map (measured: 0.01 s of a 0.36 s rescan).
// The HTML page's scripts (report/html/client) are emitted as they are, for the browser: the page
// inlines them (read-page-assets.ts). tsc building them would also emit, as ES modules, the files
// they import types from, over the CommonJS ones.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ts = createRequire(import.meta.url)('typescript');
const META_URL = '__moduleUrl';

/** What tsconfig.build.json lists and sets, read as tsc would. */
function buildConfig() {
  const path = join(top, 'tsconfig.build.json');
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, top, undefined, path);
}

const isOurs = (node) => ts.isStringLiteralLike(node) && /^[#.]/.test(node.text);

/** package.json's imports map, as pairs of a prefix ('#backup/') and the folder below src/ it stands for. */
function importPrefixes() {
  const { imports } = JSON.parse(readFileSync(join(top, 'package.json'), 'utf8'));
  return Object.entries(imports)
    .filter(([, targets]) => typeof targets.default === 'string' && targets.default.startsWith('./dist/'))
    .map(([key, targets]) => [key.slice(0, -1), join(top, 'src', targets.default.slice('./dist/'.length, -1))]);
}

/** A module specifier of `file` as a path relative to it when the imports map names it (src/ and dist/ mirror each other). */
function relativeSpecifier(specifier, file, prefixes) {
  const pair = prefixes.find(([prefix]) => specifier.startsWith(prefix));
  if (pair === undefined) return specifier;
  const path = relative(dirname(file), join(pair[1], specifier.slice(pair[0].length)));
  return path.startsWith('.') ? path : `./${path}`;
}

/** The rewrites above, before TypeScript's CommonJS transform. */
function toCommonJs(context) {
  const f = context.factory;
  const prefixes = importPrefixes();
  return (file) => {
    let usesMetaUrl = false;
    const ours = (literal) => f.createStringLiteral(relativeSpecifier(literal.text, file.fileName, prefixes));
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && isOurs(node.moduleSpecifier)) {
        return f.updateImportDeclaration(node, node.modifiers, node.importClause, ours(node.moduleSpecifier), node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && isOurs(node.moduleSpecifier)) {
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, ours(node.moduleSpecifier), node.attributes);
      }
      if (ts.isPropertyAccessExpression(node) && ts.isMetaProperty(node.expression) && node.expression.keywordToken === ts.SyntaxKind.ImportKeyword && node.name.text === 'url') {
        usesMetaUrl = true;
        return f.createIdentifier(META_URL);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length === 1 && isOurs(node.arguments[0])) {
        const required = f.createCallExpression(f.createIdentifier('require'), undefined, [ours(node.arguments[0])]);
        const later = f.createArrowFunction(undefined, undefined, [], undefined, undefined, required);
        const resolved = f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('Promise'), 'resolve'), undefined, []);
        return f.createCallExpression(f.createPropertyAccessExpression(resolved, 'then'), undefined, [later]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    const visited = ts.visitNode(file, visit);
    if (!usesMetaUrl) return visited;
    // const __moduleUrl = require('node:url').pathToFileURL(__filename).href;
    const url = f.createPropertyAccessExpression(
      f.createCallExpression(f.createPropertyAccessExpression(f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral('node:url')]), 'pathToFileURL'), undefined, [f.createIdentifier('__filename')]),
      'href',
    );
    const declaration = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(META_URL, undefined, undefined, url)], ts.NodeFlags.Const));
    return f.updateSourceFile(visited, [declaration, ...visited.statements]);
  };
}

const CLIENT = join(top, 'src/backup/report/html/client');

/** One source into dist: its .js and .js.map, the map naming the source as tsc's would. */
function emit(source, options, outDir, rootDir) {
  const out = join(outDir, relative(rootDir, source)).replace(/\.ts$/, '.js');
  const forBrowser = dirname(source) === CLIENT;
  // A .cts name makes TypeScript emit CommonJS yet leave an import() it is not told to change.
  const { outputText, sourceMapText, diagnostics } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: forBrowser
      ? { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: true } // as read-page-assets.ts compiles them from source
      : { ...options, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, verbatimModuleSyntax: false, declaration: false, sourceMap: true },
    fileName: forBrowser ? source : source.replace(/\.ts$/, '.cts'),
    reportDiagnostics: true,
    transformers: forBrowser ? {} : { before: [toCommonJs] },
  });
  if (diagnostics?.length) throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (n) => n, getCurrentDirectory: () => top, getNewLine: () => '\n' }));
  const map = JSON.parse(sourceMapText);
  const name = out.slice(out.lastIndexOf('/') + 1);
  map.file = name;
  map.sources = [relative(dirname(out), source)];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, outputText.replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${name}.map`));
  writeFileSync(`${out}.map`, JSON.stringify(map));
}

/** dist/package.json: its modules are CommonJS (the root's says ES modules, for src/). */
function distManifest(outDir) {
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
}

const { options, fileNames } = buildConfig();
const outDir = options.outDir;
rmSync(outDir, { recursive: true, force: true }); // no module left over from a source since removed
const clientFiles = readdirSync(CLIENT).filter((name) => name.endsWith('.ts')).map((name) => join(CLIENT, name));
for (const source of [...fileNames, ...clientFiles]) if (!source.endsWith('.d.ts')) emit(source, options, outDir, options.rootDir);
distManifest(outDir);
