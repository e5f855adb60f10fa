import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/child-env.js';
import { impurities } from './support/domain-purity.js';

function domainFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string, inDomain: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, inDomain || entry.name === 'domain');
      else if (inDomain && entry.name.endsWith('.ts')) found.push(path);
    }
  };
  walk(join(repoRoot, 'src'), false);
  return found;
}

describe('architecture', () => {
  it('keeps every domain module free of I/O', () => {
    const offences = domainFiles().flatMap((file) =>
      impurities(readFileSync(file, 'utf8')).map((why) => `${relative(repoRoot, file)}: ${why}`),
    );
    expect(offences).toEqual([]);
  });

  it('has domain modules to check in both programs', () => {
    const files = domainFiles().map((f) => relative(repoRoot, f));
    expect(files.some((f) => f.startsWith('src/telepathy/domain/'))).toBe(true);
    expect(files.some((f) => f.startsWith('src/backup/domain/'))).toBe(true);
  });

  it('names each kind of offence the purity check catches', () => {
    expect(impurities("import { readFile } from 'node:fs/promises';")).toEqual(['imports node:fs/promises']);
    expect(impurities("import fs from 'fs';")).toEqual(['imports fs']);
    expect(impurities("import { execa } from 'execa';")).toEqual(['imports execa']);
    expect(impurities("const b = await import('dbus-next');")).toEqual(['imports dbus-next']);
    expect(impurities("import { x } from '../adapters/rpm.js';")).toEqual([
      'imports ../adapters/rpm.js from outside the domain',
    ]);
    expect(impurities('const home = process.env.HOME;')).toEqual(['uses process']);
    expect(impurities("import type { Tree } from './tree.js';\n// process.exit is not ours to call")).toEqual([]);
  });
});
