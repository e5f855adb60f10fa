import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRpmSystem } from './backup-tree.js';

/** A generated real-rpm root kept between bench runs (building one takes minutes). */
export interface CachedRpmSystem {
  /** The system's top directory. */
  readonly root: string;
  /** The database folder inside it. */
  readonly dbpath: string;
  /** Paths its packages own. */
  readonly owned: number;
  /** Files in all. */
  readonly files: number;
}

/** Where generated roots are kept: BENCH_CACHE, else a folder in the temporary directory. */
export const benchCache = process.env.BENCH_CACHE ?? join(tmpdir(), 'cave-bench-cache');

const folderOf = (files: number, packages: number) => join(benchCache, `rpm-${files}-${packages}`);

/** Whether the root of `files` files in `packages` packages is built already. */
export function isCached(files: number, packages = 10): boolean {
  return existsSync(join(folderOf(files, packages), 'ready.json'));
}

/** The root of `files` files (72% owned, in `packages` packages), built once and then reused. */
export async function cachedRpmSystem(files: number, packages = 10): Promise<CachedRpmSystem> {
  const dir = folderOf(files, packages);
  const ready = join(dir, 'ready.json');
  if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as CachedRpmSystem;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const { sys, owned } = await generateRpmSystem(files, packages);
  const root = join(dir, 'root');
  renameSync(sys.root, root); // same temporary file system, so a rename
  await sys.remove();
  const made: CachedRpmSystem = { root, dbpath: sys.dbpath, owned, files };
  writeFileSync(ready, JSON.stringify(made));
  console.log(`generated ${files} files (${owned} owned) in ${((performance.now() - started) / 1000).toFixed(0)} s, kept in ${dir}`);
  return made;
}
