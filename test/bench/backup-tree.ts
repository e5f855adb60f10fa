import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { buildRpmRoot, type RpmRoot, type TestPackage } from '#test/support/rpm-root.js';

/** A generated system: `files` files, 72% owned by `packages` real rpm packages, some changed. */
export async function generateRpmSystem(files: number, packages = 10): Promise<{ sys: RpmRoot; owned: number; unowned: number }> {
  const owned = Math.round(files * 0.72);
  const perPackage = Math.ceil(owned / packages);
  const pkgs: TestPackage[] = [];
  for (let p = 0; p < packages; p++) {
    // Packages own their folders, as real ones do (the first also owns /usr and /usr/share).
    const paths: TestPackage['paths'] = p === 0 ? [{ path: '/usr', kind: 'dir' }, { path: '/usr/share', kind: 'dir' }] : [];
    paths.push({ path: `/usr/share/pkg${p}`, kind: 'dir' });
    for (let i = 0; i < perPackage && p * perPackage + i < owned; i++) {
      if (i % 100 === 0) paths.push({ path: `/usr/share/pkg${p}/d${Math.floor(i / 100)}`, kind: 'dir' });
      paths.push({ path: `/usr/share/pkg${p}/d${Math.floor(i / 100)}/f${i}`, content: `package ${p} file ${i}\n`.repeat(1 + (i % 7)) });
    }
    pkgs.push({ name: `bench${p}`, paths });
  }
  const sys = await buildRpmRoot(pkgs);
  const unowned = files - owned;
  for (let i = 0; i < unowned; i++) {
    const dir = `${sys.root}/home/user${i % 5}/d${Math.floor(i / 200)}`;
    if (i % 200 < 5) await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/f${i}`, `user data ${i}\n`);
  }
  // Change 1% of the package files (same size) and touch another 1% (mtime only).
  for (let p = 0; p < packages; p++) {
    for (let i = 0; i < perPackage && p * perPackage + i < owned; i += 100) {
      const path = `${sys.root}/usr/share/pkg${p}/d${Math.floor(i / 100)}/f${i}`;
      await writeFile(path, `PACKAGE ${p} FILE ${i}\n`.repeat(1 + (i % 7)).toLowerCase().replace('p', 'P'));
      const touched = `${sys.root}/usr/share/pkg${p}/d${Math.floor(i / 100)}/f${i + 1}`;
      if (i + 1 < perPackage) await utimes(touched, 1_000_000, 1_000_000).catch(() => undefined);
    }
  }
  return { sys, owned, unowned };
}
