/**
 * The native walker's tree reader (tree-reader.c), through the file system port's `readAhead`:
 * a thread lists the tree in the walk's order; the walk takes each listing, tells it what it
 * leaves out, and is never held up by what it did not take.
 */
import { lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import type { AheadRules, ListingsAhead } from '#backup/domain/ports/file-system.port.js';
import { scan } from '#backup/scan/scan.js';

const top = mkdtempSync(join(tmpdir(), 'cave-tree-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const native = loadNativeWalker() ?? null;
const SAME_DEVICE: AheadRules = { oneFileSystem: true, mounts: new Set() };

/** A folder under `top` holding `paths` (a trailing slash makes a folder, else a file). */
function tree(name: string, paths: string[]): string {
  const root = join(top, name);
  mkdirSync(root);
  for (const p of paths) {
    if (p.endsWith('/')) mkdirSync(join(root, p), { recursive: true });
    else writeFileSync(join(root, p), p);
  }
  return root;
}

const names = (listing: { name: string }[] | undefined) => listing?.map((e) => e.name);

async function walked(fs: NodeFileSystem, isExcluded?: (path: string) => boolean): Promise<ScannedEntry[]> {
  const seen: ScannedEntry[] = [];
  await scan({
    fs,
    digester: { digest: async () => ({ ok: false, code: 'EINVAL' }) },
    accounts: { userName: () => 'root', groupName: () => 'root', uidOf: () => 0n, gidOf: () => 0n },
    isExcluded,
    onEntry: (e) => seen.push(e),
  });
  return seen;
}

describe('the tree read ahead', () => {
  const root = tree('order', ['a/x/deep/', 'a/x/deep/f', 'a/y/', 'a-b/', 'a-b/g', 'b/', 'b/h']);
  const fs = new NodeFileSystem(root, '/proc/self/mountinfo', native);

  it('hands over each folder in the walk’s order: a folder’s whole subtree before its next sibling', () => {
    const ahead = fs.readAhead('/', SAME_DEVICE)!;
    expect(names(ahead.take('/'))).toEqual(['a', 'a-b', 'b']);
    expect(names(ahead.take('/a'))).toEqual(['x', 'y']);
    expect(names(ahead.take('/a/x'))).toEqual(['deep']);
    expect(names(ahead.take('/a/x/deep'))).toEqual(['f']);
    expect(names(ahead.take('/a/y'))).toEqual([]);
    expect(names(ahead.take('/a-b'))).toEqual(['g']);
    expect(names(ahead.take('/b'))).toEqual(['h']);
    ahead.close();
  });

  it('drops what the walk went past, and has nothing for a folder asked out of order', () => {
    const ahead = fs.readAhead('/', SAME_DEVICE)!;
    expect(names(ahead.take('/a-b'))).toEqual(['g']); // `/`, `/a` and below were never taken
    expect(ahead.take('/a')).toBeUndefined();
    expect(ahead.take('/a/x')).toBeUndefined();
    expect(names(ahead.take('/b'))).toEqual(['h']);
    expect(ahead.take('/c')).toBeUndefined(); // no such folder: the walk would list it itself
    ahead.close();
  });

  it('reads nothing more below a folder the walk leaves out, and lets go of what it read there', () => {
    const ahead = fs.readAhead('/', SAME_DEVICE)!;
    expect(names(ahead.take('/'))).toEqual(['a', 'a-b', 'b']);
    ahead.skip('/a');
    expect(ahead.take('/a')).toBeUndefined();
    expect(ahead.take('/a/x')).toBeUndefined();
    expect(ahead.take('/a/y')).toBeUndefined();
    expect(names(ahead.take('/a-b'))).toEqual(['g']); // a sibling sharing the name's start is kept
    ahead.close();
  });

  it('takes and skips nothing once closed, and closes twice', () => {
    const ahead = fs.readAhead('/', SAME_DEVICE)!;
    ahead.close();
    expect(ahead.take('/')).toBeUndefined();
    ahead.skip('/a');
    ahead.close();
  });

  it('is not there without the addon: the walk then lists each folder itself', () => {
    expect(new NodeFileSystem(root, '/proc/self/mountinfo', null).readAhead('/', SAME_DEVICE)).toBeUndefined();
  });
});

describe('where the tree reader descends', () => {
  it('not into a mount point, nor below it, when the walk stays on one file system', () => {
    const root = tree('mounted', ['m/', 'm/inner/', 'n/']);
    const fs = new NodeFileSystem(root, '/proc/self/mountinfo', native);
    const ahead = fs.readAhead('/', { oneFileSystem: true, mounts: new Set(['/m']) })!;
    expect(names(ahead.take('/'))).toEqual(['m', 'n']);
    expect(ahead.take('/m')).toBeUndefined();
    expect(ahead.take('/m/inner')).toBeUndefined();
    expect(names(ahead.take('/n'))).toEqual([]);
    ahead.close();
    const everywhere = fs.readAhead('/', { oneFileSystem: false, mounts: new Set(['/m']) })!;
    expect(names(everywhere.take('/m'))).toEqual(['inner']);
    everywhere.close();
  });

  it('not onto another device (here /dev/shm, under /dev), unless asked to', () => {
    expect(lstatSync('/dev/shm').dev).not.toBe(lstatSync('/dev').dev); // the premise
    const fs = new NodeFileSystem('/', '/proc/self/mountinfo', native);
    const ahead = fs.readAhead('/dev', SAME_DEVICE)!;
    expect(names(ahead.take('/dev'))).toContain('shm');
    expect(ahead.take('/dev/shm')).toBeUndefined();
    ahead.close();
    const across = fs.readAhead('/dev', { oneFileSystem: false, mounts: new Set() })!;
    expect(across.take('/dev/shm')).toBeInstanceOf(Array);
    across.close();
  });

  it('leaves a path too long to open whole to the walk, which lists it through an open folder', async () => {
    // Under a host folder of ~3,000 bytes: `/a` is read ahead, `/a/<100 bytes>` is not.
    const long = join(top, ...Array.from({ length: 14 }, (_, i) => `${i}`.padEnd(210, 'p')));
    const deep = `a/${'b'.repeat(100)}/`;
    mkdirSync(join(long, deep, 'c'), { recursive: true });
    writeFileSync(join(long, deep, 'c', 'f'), 'x');
    const fs = new NodeFileSystem(long, '/proc/self/mountinfo', native);
    const ahead = fs.readAhead('/', SAME_DEVICE)!;
    expect(names(ahead.take('/a'))).toEqual(['b'.repeat(100)]);
    expect(ahead.take(`/a/${'b'.repeat(100)}`)).toBeUndefined();
    ahead.close();
    const paths = (entries: ScannedEntry[]) => entries.map((e) => e.path);
    expect(paths(await walked(fs))).toEqual(paths(await walked(new NodeFileSystem(long, '/proc/self/mountinfo', null))));
    expect(paths(await walked(fs))).toContain(`/a/${'b'.repeat(100)}/c/f`);
  });
});

describe('the walk with a tree read ahead', () => {
  // More folders than the reader holds (512): it waits for room, and must not hold the walk up.
  const root = tree('wide', [...Array.from({ length: 700 }, (_, i) => `d${String(i).padStart(3, '0')}/`), 'd699/last']);

  it('gets the last folder of many it did not take: what it went past makes room', () => {
    const ahead = new NodeFileSystem(root, '/proc/self/mountinfo', native).readAhead('/', SAME_DEVICE)!;
    expect(names(ahead.take('/d699'))).toEqual(['last']);
    ahead.close();
  });

  it('closes a reader that waits for room', () => {
    const ahead = new NodeFileSystem(root, '/proc/self/mountinfo', native).readAhead('/', SAME_DEVICE)!;
    expect(ahead.take('/')).toHaveLength(700);
    ahead.close(); // returns: the thread was told to stop while it waited
  });

  it('tells the reader each folder it leaves out, takes nothing below it, and finds what node:fs finds', async () => {
    const fs = new NodeFileSystem(root, '/proc/self/mountinfo', native);
    const calls: string[] = [];
    const readAhead = fs.readAhead.bind(fs);
    fs.readAhead = (from: string, rules: AheadRules): ListingsAhead | undefined => {
      const real = readAhead(from, rules)!;
      return {
        root: real.root,
        take: (dir) => (calls.push(`take ${dir}`), real.take(dir)),
        skip: (dir) => (calls.push(`skip ${dir}`), real.skip(dir)),
        close: () => real.close(),
      };
    };
    const excluded = (path: string) => path >= '/d100' && path < '/d600';
    const entries = await walked(fs, excluded);
    expect(calls.filter((c) => c.startsWith('skip'))).toEqual(Array.from({ length: 500 }, (_, i) => `skip /d${i + 100}`));
    expect(calls.filter((c) => c.startsWith('take ') && excluded(c.slice(5)))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('take '))).toHaveLength(201); // `/`, d000-d099 and d600-d699
    const viaNode = await walked(new NodeFileSystem(root, '/proc/self/mountinfo', null), excluded);
    expect(entries).toEqual(viaNode);
  });
});
