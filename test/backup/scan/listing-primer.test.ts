/**
 * Listings read while the package database loads (listing-primer.ts), on real folders through the
 * native walker: the walk gives the same entries with them as without, lists no folder twice, and
 * nothing is listed that the walk would not enter (excluded, unreadable to the walk's checks).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { ListingPrimer } from '#backup/scan/listing-primer.js';
import { scan } from '#backup/scan/scan.js';

const top = mkdtempSync(join(tmpdir(), 'cave-primer-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** A tree of `folders` folders, two levels, a file in each, and an excluded folder with content. */
function tree(name: string, folders: number): string {
  const root = join(top, name);
  for (let i = 0; i < folders; i++) {
    const folder = join(root, `a${i % 7}`, `b${i}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'f'), `${i}`);
  }
  mkdirSync(join(root, 'skipped/inner'), { recursive: true });
  writeFileSync(join(root, 'skipped/inner/f'), 'x');
  return root;
}

/** The file system, counting each folder every listing call reads. */
function counting(root: string): { fs: NodeFileSystem; listed: string[] } {
  const fs = new NodeFileSystem(root);
  const listed: string[] = [];
  const later = fs.listWithStatusLater!;
  const now = fs.listWithStatus!;
  Object.defineProperty(fs, 'listWithStatusLater', { value: (dir: string) => (listed.push(dir), later(dir)) });
  Object.defineProperty(fs, 'listWithStatus', { value: (dir: string) => (listed.push(dir), now(dir)) });
  return { fs, listed };
}

const isExcluded = (path: string) => path === '/skipped';

async function walk(fs: NodeFileSystem, primed?: ListingPrimer): Promise<ScannedEntry[]> {
  const seen: ScannedEntry[] = [];
  await scan({
    fs,
    digester: { digest: async () => ({ ok: false, code: 'EINVAL' }) },
    accounts: { userName: () => 'root', groupName: () => 'root', uidOf: () => 0n, gidOf: () => 0n },
    isExcluded,
    onEntry: (e) => seen.push(e),
    primed,
  });
  return seen;
}

/** Lets the primer list until it holds no more (it has listed all it may). */
async function settle(primer: ListingPrimer): Promise<void> {
  for (let quiet = 0, last = -1; quiet < 10; ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    quiet = primer.waiting === last ? quiet + 1 : 0;
    last = primer.waiting;
  }
}

describe('listings primed before the walk', () => {
  it('give the walk the entries it finds without them, each folder listed once, the excluded one never', async () => {
    const root = tree('small', 40);
    const plain = counting(root);
    const expected = await walk(plain.fs);
    const primedFs = counting(root);
    const primer = new ListingPrimer(primedFs.fs, { oneFileSystem: true, mounts: new Set(), isExcluded });
    primer.start('/');
    await settle(primer);
    const before = primer.holds('/') && primer.holds('/a0') && primer.holds('/a0/b0');
    const entries = await walk(primedFs.fs, primer);
    expect(before).toBe(true); // it did list ahead, in the walk's order
    expect(entries).toEqual(expected);
    expect(primedFs.listed.filter((dir) => dir.startsWith('/skipped'))).toEqual([]);
    const walked = [...new Set(plain.listed)].sort();
    const listedOnce = [...primedFs.listed].sort();
    expect(listedOnce.every((dir, i) => dir !== listedOnce[i - 1])).toBe(true); // none twice
    expect(listedOnce.every((dir) => walked.includes(dir))).toBe(true);
  }, 30_000);

  it('holds at most 512 listings, and none once closed', async () => {
    const root = tree('wide', 700);
    const { fs } = counting(root);
    const primer = new ListingPrimer(fs, { oneFileSystem: true, mounts: new Set(), isExcluded });
    primer.start('/');
    await settle(primer);
    expect(primer.waiting).toBe(512);
    primer.close();
    expect(primer.holds('/')).toBe(false);
    expect(await walk(fs)).toHaveLength(1 + 7 + 700 * 2 + 1); // the root, 7 + 700 folders, 700 files, the excluded folder
  }, 60_000);
});
