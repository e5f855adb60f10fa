import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineCount, longFunctions } from './code-size.js';
import { impurities } from './domain-purity.js';
import { importCycles, importGraph, sourceFiles } from './import-graph.js';

/** Folders whose code does no I/O: each program's domain, the scan engine and the report builders. */
export const pureFolders: readonly RegExp[] = [/^src\/[^/]+\/domain\//, /^src\/backup\/scan\//, /^src\/backup\/report\//];

/** Where adapters live: one folder per real technology under each program's `adapters/`. */
const adapterFolder = /^src\/[^/]+\/adapters\//;

/** The house limits on size. */
export const limits = { fileLines: 300, functionLines: 60 } as const;

/** Whether `file` (repository-relative) lies in a pure folder. */
export function isPure(file: string): boolean {
  return pureFolders.some((folder) => folder.test(file));
}

/** The project's own code that the rules cover. */
export function coveredFiles(root: string): string[] {
  return ['src', 'sim', 'spec'].flatMap((dir) => sourceFiles(root, dir));
}

/**
 * Every breach of the architecture in the tree at `root`, one line each: import cycles, I/O or
 * impure imports in a pure folder, fakes that import an adapter, and files or functions over the
 * size limits. Empty when the tree keeps the rules.
 */
export function architectureOffences(root: string): string[] {
  const files = coveredFiles(root);
  const read = (f: string) => readFileSync(join(root, f), 'utf8');
  const graph = importGraph(root, files, read);
  const offences = importCycles(graph).map((cycle) => `import cycle: ${cycle.join(' -> ')}`);
  for (const [file, targets] of graph) {
    if (isPure(file)) {
      offences.push(...impurities(read(file)).map((why) => `${file}: ${why}`));
      offences.push(...targets.filter((t) => !isPure(t)).map((t) => `${file}: pure code imports ${t}`));
    }
    if (file.startsWith('sim/')) {
      offences.push(...targets.filter((t) => adapterFolder.test(t)).map((t) => `${file}: a fake imports the adapter ${t}`));
    }
    if (file.startsWith('src/')) offences.push(...sizeOffences(file, read(file)));
  }
  return offences;
}

function sizeOffences(file: string, source: string): string[] {
  const offences: string[] = [];
  const lines = lineCount(source);
  if (lines > limits.fileLines) offences.push(`${file}: ${lines} lines (at most ${limits.fileLines})`);
  for (const fn of longFunctions(file, source, limits.functionLines)) {
    offences.push(`${file}:${fn.line}: function ${fn.name} has ${fn.lines} lines (at most ${limits.functionLines})`);
  }
  return offences;
}
