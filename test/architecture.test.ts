import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { architectureOffences, coveredFiles, isPure } from './support/architecture-rules.js';
import { repoRoot } from './support/child-env.js';
import { impurities } from './support/domain-purity.js';

const trees: string[] = [];

/** A small project tree in a temporary folder, with this repository's kind of imports map. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cave-arch-'));
  trees.push(root);
  const imports = { '#app/*': { 'cave-source': './src/app/*', default: './dist/app/*' }, '#sim/*': { 'cave-source': './sim/*' } };
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', imports }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A well-kept tree: a pure domain with its port, an adapter, and a fake that imports only the port. */
const clean = {
  'src/app/domain/clock/clock.port.ts': 'export interface Clock { now(): number }\n',
  'src/app/domain/greeting/greet.ts': "import type { Clock } from '#app/domain/clock/clock.port.js';\nexport const greet = (c: Clock) => c.now();\n",
  'src/app/adapters/system-clock/system-clock.ts': "import type { Clock } from '#app/domain/clock/clock.port.js';\nexport const clock: Clock = { now: () => Date.now() };\n",
  'sim/app/fixed-clock.ts': "import type { Clock } from '../../src/app/domain/clock/clock.port.js';\nexport const fixed: Clock = { now: () => 0 };\n",
};

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('architecture', () => {
  it('holds for this repository: no cycles, pure folders pure, fakes without adapters, sizes kept', () => {
    expect(architectureOffences(repoRoot)).toEqual([]);
  });

  it('has pure code to check in both programs', () => {
    const pure = coveredFiles(repoRoot).filter(isPure);
    expect(pure.some((f) => f.startsWith('src/telepathy/'))).toBe(true);
    expect(pure.some((f) => f.startsWith('src/backup/'))).toBe(true);
  });

  it('passes a well-kept tree', () => {
    expect(architectureOffences(tree(clean))).toEqual([]);
  });

  it('fails on a new import cycle, through the imports map too', () => {
    const root = tree({
      ...clean,
      'src/app/domain/greeting/a.ts': "import { b } from '#app/domain/greeting/b.js';\nexport const a = () => b;\n",
      'src/app/domain/greeting/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(architectureOffences(root)).toEqual([
      'import cycle: src/app/domain/greeting/a.ts -> src/app/domain/greeting/b.ts',
    ]);
  });

  it('fails on an I/O import in a pure folder, and on pure code importing an adapter', () => {
    const root = tree({
      ...clean,
      'src/app/domain/greeting/read.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      'src/app/domain/greeting/wired.ts': "import { clock } from '#app/adapters/system-clock/system-clock.js';\nexport const w = clock;\n",
    });
    expect(architectureOffences(root)).toEqual([
      'src/app/domain/greeting/read.ts: imports node:fs',
      'src/app/domain/greeting/wired.ts: pure code imports src/app/adapters/system-clock/system-clock.ts',
    ]);
  });

  it('fails on a fake that imports an adapter', () => {
    const root = tree({
      ...clean,
      'sim/app/borrowed.ts': "import { clock } from '../../src/app/adapters/system-clock/system-clock.js';\nexport const b = clock;\n",
    });
    expect(architectureOffences(root)).toEqual([
      'sim/app/borrowed.ts: a fake imports the adapter src/app/adapters/system-clock/system-clock.ts',
    ]);
  });

  it('fails on a file over 300 lines and a function over 60, but lets a declarative table be long', () => {
    const body = Array.from({ length: 61 }, (_, i) => `  x += ${i};`).join('\n');
    const table = Array.from({ length: 70 }, (_, i) => `  k${i}: ${i},`).join('\n');
    const root = tree({
      ...clean,
      'src/app/domain/greeting/long.ts': `export function long(): number {\n  let x = 0;\n${body}\n  return x;\n}\n`,
      'src/app/domain/greeting/table.ts': `export function table() {\n  return {\n${table}\n  };\n}\n`,
      'src/app/domain/greeting/big.ts': 'export const n = 1;\n'.repeat(301),
    });
    expect(architectureOffences(root)).toEqual([
      'src/app/domain/greeting/big.ts: 301 lines (at most 300)',
      'src/app/domain/greeting/long.ts:1: function long has 65 lines (at most 60)',
    ]);
  });

  it('names each kind of I/O offence the purity check catches', () => {
    expect(impurities("import { readFile } from 'node:fs/promises';")).toEqual(['imports node:fs/promises']);
    expect(impurities("import fs from 'fs';")).toEqual(['imports fs']);
    expect(impurities("import { execa } from 'execa';")).toEqual(['imports execa']);
    expect(impurities("const b = await import('dbus-next');")).toEqual(['imports dbus-next']);
    expect(impurities("import { ImapFlow } from 'imapflow';")).toEqual(['imports imapflow']);
    expect(impurities('const home = process.env.HOME;')).toEqual(['uses process']);
    expect(impurities('const t = Date.now();')).toEqual(['reads the clock or randomness']);
    expect(impurities('const r = Math.random();')).toEqual(['reads the clock or randomness']);
    expect(impurities("import type { Tree } from './tree.js';\n// process.exit is not ours to call")).toEqual([]);
  });
});
