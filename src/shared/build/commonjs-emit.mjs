// One ES module source (TypeScript) as CommonJS, with TypeScript's own emitter: what build-dist.mjs
// does to each file of src/. Beyond TypeScript's own CommonJS transform:
//   - import.meta.url becomes the file's URL made from __filename;
//   - import() of our own modules ('#…', './…') becomes a lazy require(), as cheap as the rest;
//     any other import() (a rules plugin, a data: URL) stays a real one;
//   - '#backup/…' and the like become relative paths: node resolved each through package.json's
//     imports map (measured: 0.01 s of a 0.36 s rescan);
//   - what has no CommonJS form (a top-level await, import.meta but for .url) fails the build.
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const ts = createRequire(import.meta.url)('typescript');
const META_URL = '__moduleUrl';

/** A construct the emitted CommonJS could not run, named with its file and line. */
export class CommonJsEmitError extends Error {
  name = 'CommonJsEmitError';
}

const isOurs = (node) => ts.isStringLiteralLike(node) && /^[#.]/.test(node.text);

/**
 * A package.json imports map as pairs of a prefix ('#backup/') and the source folder it stands
 * for, from `top` (its targets under ./dist/ mirror src/).
 */
export function importPrefixes(imports, top) {
  return Object.entries(imports)
    .filter(([, targets]) => typeof targets.default === 'string' && targets.default.startsWith('./dist/'))
    .map(([key, targets]) => [key.slice(0, -1), join(top, 'src', targets.default.slice('./dist/'.length, -1))]);
}

/** A module specifier of `file` as a path relative to it when the imports map names it. */
function relativeSpecifier(specifier, file, prefixes) {
  const pair = prefixes.find(([prefix]) => specifier.startsWith(prefix));
  if (pair === undefined) return specifier;
  const path = relative(dirname(file), join(pair[1], specifier.slice(pair[0].length)));
  return path.startsWith('.') ? path : `./${path}`;
}

function refuse(node, file, fileName, what) {
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
  throw new CommonJsEmitError(`${fileName}:${line + 1}: ${what} has no CommonJS form`);
}

/** `Promise.resolve().then(() => require(specifier))`. */
function lazyRequire(f, specifier) {
  const required = f.createCallExpression(f.createIdentifier('require'), undefined, [specifier]);
  const resolved = f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('Promise'), 'resolve'), undefined, []);
  return f.createCallExpression(f.createPropertyAccessExpression(resolved, 'then'), undefined, [f.createArrowFunction(undefined, undefined, [], undefined, undefined, required)]);
}

/** `const __moduleUrl = require('node:url').pathToFileURL(__filename).href;` */
function moduleUrlDeclaration(f) {
  const url = f.createCallExpression(f.createIdentifier('require'), undefined, [f.createStringLiteral('node:url')]);
  const href = f.createPropertyAccessExpression(f.createCallExpression(f.createPropertyAccessExpression(url, 'pathToFileURL'), undefined, [f.createIdentifier('__filename')]), 'href');
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(META_URL, undefined, undefined, href)], ts.NodeFlags.Const));
}

const isImportMeta = (node) => ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword;

/** The rewrites above, as a transformer that runs before TypeScript's CommonJS transform, of the source at `fileName`. */
function rewrites(prefixes, fileName) {
  return (context) => (file) => {
    const f = context.factory;
    const ours = (literal) => f.createStringLiteral(relativeSpecifier(literal.text, fileName, prefixes));
    let usesMetaUrl = false;
    const visit = (node, inFunction) => {
      if (ts.isImportDeclaration(node) && isOurs(node.moduleSpecifier)) return f.updateImportDeclaration(node, node.modifiers, node.importClause, ours(node.moduleSpecifier), node.attributes);
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && isOurs(node.moduleSpecifier)) {
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, ours(node.moduleSpecifier), node.attributes);
      }
      if (ts.isPropertyAccessExpression(node) && isImportMeta(node.expression) && node.name.text === 'url') return (usesMetaUrl = true), f.createIdentifier(META_URL);
      if (isImportMeta(node)) refuse(node, file, fileName, 'import.meta other than import.meta.url');
      if (!inFunction && (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier))) refuse(node, file, fileName, 'a top-level await');
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length === 1 && isOurs(node.arguments[0])) return lazyRequire(f, ours(node.arguments[0]));
      const inside = inFunction || ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node);
      return ts.visitEachChild(node, (child) => visit(child, inside), context);
    };
    const visited = ts.visitEachChild(file, (child) => visit(child, false), context);
    return usesMetaUrl ? f.updateSourceFile(visited, [moduleUrlDeclaration(f), ...visited.statements]) : visited;
  };
}

/**
 * `text`, the source at `fileName`, as CommonJS with `options` (a tsconfig's): the code and its
 * source map. `prefixes`: from {@link importPrefixes}.
 */
export function emitCommonJs(text, fileName, options, prefixes) {
  // A .cts name makes TypeScript emit CommonJS yet leave an import() it is not told to change.
  const { outputText, sourceMapText, diagnostics } = ts.transpileModule(text, {
    compilerOptions: { ...options, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, verbatimModuleSyntax: false, declaration: false, sourceMap: true },
    fileName: fileName.replace(/\.ts$/, '.cts'),
    reportDiagnostics: true,
    transformers: { before: [rewrites(prefixes, fileName)] },
  });
  if (diagnostics?.length) throw new CommonJsEmitError(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (n) => n, getCurrentDirectory: () => '', getNewLine: () => '\n' }));
  return { code: outputText, map: JSON.parse(sourceMapText) };
}
