import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Every module specifier a TypeScript source names: static and dynamic imports, re-exports, require. */
export function moduleSpecifiers(source: string): string[] {
  const specifiers = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...source.matchAll(specifiers)].map((m) => m[1]!);
}

/** The `cave-source` target of each `#name/*` pattern in package.json's imports map. */
export type ImportsMap = ReadonlyMap<string, string>;

/** Reads the imports map of the package.json at `root`. */
export function readImportsMap(root: string): ImportsMap {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports?: Record<string, string | Record<string, string>>;
  };
  const map = new Map<string, string>();
  for (const [pattern, target] of Object.entries(pkg.imports ?? {})) {
    const source = typeof target === 'string' ? target : (target['cave-source'] ?? target['default']);
    if (source) map.set(pattern, source);
  }
  return map;
}

/**
 * The repository-relative `.ts` file that `spec`, imported from `from` (repository-relative), names;
 * undefined for a package or a file that does not exist.
 */
export function resolveSpecifier(root: string, from: string, spec: string, imports: ImportsMap): string | undefined {
  let target: string | undefined;
  if (spec.startsWith('.')) target = resolve(root, dirname(from), spec);
  else if (spec.startsWith('#')) {
    for (const [pattern, to] of imports) {
      const prefix = pattern.replace(/\*$/, '');
      if (pattern.endsWith('*') ? spec.startsWith(prefix) : spec === pattern) {
        target = resolve(root, to.replace(/\*$/, '') + spec.slice(prefix.length));
        break;
      }
    }
  }
  if (target === undefined) return undefined;
  for (const candidate of [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, join(target, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return relative(root, candidate);
  }
  return undefined;
}

/** The `.ts` files below `dir` (repository-relative), skipping `node_modules`. */
export function sourceFiles(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(rel, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

/** Module graph: each file to the project files it imports. */
export type ImportGraph = Map<string, string[]>;

/** Builds the import graph of `files` from their sources (`read` gives a file's text). */
export function importGraph(root: string, files: readonly string[], read = (f: string) => readFileSync(join(root, f), 'utf8')): ImportGraph {
  const imports = readImportsMap(root);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = moduleSpecifiers(read(file))
      .map((spec) => resolveSpecifier(root, file, spec, imports))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle, each as its strongly connected files (sorted); Tarjan's algorithm. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
