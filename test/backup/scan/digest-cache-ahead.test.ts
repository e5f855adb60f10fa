import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCacheFile, readCacheFileAhead, type CacheOwner } from '#backup/adapters/digest-cache/cache-file.js';
import { statWords, WORDS } from '#backup/adapters/digest-cache/cache-key.js';
import { CachingDigester, SETTLE_MS } from '#backup/adapters/digest-cache/digest-cache.js';
import { DigestTable } from '#backup/adapters/digest-cache/digest-table.js';
import { openDigestCache } from '#backup/adapters/digest-cache/digest-cache-file.js';
import type { DigestAlgo, DigestPort } from '#backup/domain/ports/digest.port.js';
import { stat } from './owned-file.js';

// The cache file read ahead on libuv's pool (readCacheFileAhead, openDigestCache's digesterAhead) must be
// the very cache the read on the main thread gives: the same entries, the same files refused.

const owner: CacheOwner = { machine: 'm1', root: '/' };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cave-digest-ahead-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Entry = { s: ReturnType<typeof stat>; algo: DigestAlgo; hex: string };

/** `count` entries, of every algorithm or all sha256 (the table's uniform case). */
function entriesOf(count: number, mixed: boolean): Entry[] {
  const algos: DigestAlgo[] = mixed ? ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] : ['sha256'];
  return Array.from({ length: count }, (_, n) => {
    const algo = algos[n % algos.length]!;
    return { s: stat({ ino: BigInt(n), mtimeNs: -BigInt(n) }), algo, hex: createHash(algo).update(String(n)).digest('hex') };
  });
}

/** An inner digester answering each entry's digest (path `/n`), counting what it is asked. */
function innerOf(entries: Entry[]): DigestPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    digest: async (path) => (asked.push(path), { ok: true, hex: entries[Number(path.slice(1))]!.hex, size: 5n }),
  };
}

/** Saves a cache of `owner` holding `entries` to `file`. */
async function save(file: string, entries: Entry[], of: CacheOwner = owner): Promise<void> {
  const first = new CachingDigester(innerOf(entries), file, of);
  for (const [n, e] of entries.entries()) await first.digest(`/${n}`, e.algo, e.s);
  first.save();
}

/** A cache file as written before its owner text was padded to a multiple of four bytes: the spaces after the JSON gone, its checksum made again. */
function unpadded(file: Buffer): Buffer {
  const ownerBytes = file.readUInt32LE(24);
  const owner = file.subarray(32, 32 + ownerBytes).toString('utf8').trimEnd();
  const header = Buffer.from(file.subarray(0, 32));
  header.writeUInt32LE(Buffer.byteLength(owner), 24);
  const body = Buffer.concat([header, Buffer.from(owner), file.subarray(32 + ownerBytes, file.length - 32)]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** What the read on this thread and the read ahead make of `file`: why refused, and entries held. */
async function bothReads(file: string, of: CacheOwner = owner): Promise<Array<[string | undefined, number]>> {
  const here = readCacheFile(file, of);
  const ahead = await readCacheFileAhead(file, of);
  return [
    [here.rejected, here.table.size],
    [ahead.rejected, ahead.table.size],
  ];
}

describe('digest cache read ahead', () => {
  it('reuses every entry a saved file holds, of one algorithm or many, whatever the owner text length', async () => {
    for (const mixed of [false, true]) {
      // Roots of 1 to 4 bytes: owner texts of each length modulo four.
      for (const root of ['/', '/a', '/ab', '/abc']) {
        const file = join(dir, `cache-${mixed}-${root.length}.bin`);
        const entries = entriesOf(13, mixed);
        const of = { machine: 'm1', root };
        await save(file, entries, of);
        // Saved with its key words at a multiple of four bytes, so a mapped file's columns are taken as they lie;
        // one saved before the owner text was padded puts them anywhere, and is read instead.
        expect((32 + readFileSync(file).readUInt32LE(24)) % 4).toBe(0);
        writeFileSync(`${file}.old`, unpadded(readFileSync(file)));
        for (const saved of [file, `${file}.old`]) {
          const inner = innerOf(entries);
          const rescan = new CachingDigester(inner, saved, of, SETTLE_MS, await readCacheFileAhead(saved, of));
          expect(rescan.rejected).toBeUndefined();
          expect(rescan.held).toBe(entries.length);
          for (const [n, e] of entries.entries()) expect(await rescan.digest(`/${n}`, e.algo, e.s)).toEqual({ ok: true, hex: e.hex, size: 5n });
          expect(inner.asked).toEqual([]);
        }
      }
    }
  });

  it('writes back what it read and what it added (the columns it holds are views of the file read whole)', async () => {
    const file = join(dir, 'cache.bin');
    const entries = entriesOf(40, true);
    await save(file, entries.slice(0, 30), { machine: 'm1', root: '/ab' });
    const of = { machine: 'm1', root: '/ab' };
    const rescan = new CachingDigester(innerOf(entries), file, of, SETTLE_MS, await readCacheFileAhead(file, of));
    // Every old entry used but the first, then ten new ones: the columns grow out of the file's buffer.
    for (let n = 1; n < 40; n++) await rescan.digest(`/${n}`, entries[n]!.algo, entries[n]!.s);
    rescan.save();
    const inner = innerOf(entries);
    const again = new CachingDigester(inner, file, of);
    expect(again.held).toBe(39);
    for (let n = 0; n < 40; n++) await again.digest(`/${n}`, entries[n]!.algo, entries[n]!.s);
    expect(inner.asked).toEqual(['/0']);
  });

  it('refuses what the read on this thread refuses: absent, a folder, truncated at any length, any byte changed or added, another owner, an outdated version', async () => {
    const file = join(dir, 'cache.bin');
    await save(file, entriesOf(7, true));
    const whole = readFileSync(file);
    expect(await bothReads(file)).toEqual([
      [undefined, 7],
      [undefined, 7],
    ]);
    expect(await bothReads(join(dir, 'none.bin'))).toEqual([
      ['absent', 0],
      ['absent', 0],
    ]);
    expect(await bothReads(dir)).toEqual([
      ['absent', 0],
      ['absent', 0],
    ]);
    expect(await bothReads(file, { machine: 'm2', root: '/' })).toEqual([
      ['foreign', 0],
      ['foreign', 0],
    ]);
    for (let length = 0; length < whole.length; length++) {
      writeFileSync(file, whole.subarray(0, length));
      expect(await bothReads(file)).toEqual([
        ['corrupt', 0],
        ['corrupt', 0],
      ]);
    }
    await fc.assert(
      fc.asyncProperty(fc.nat(whole.length - 1), fc.integer({ min: 1, max: 255 }), fc.uint8Array({ maxLength: 3 }), async (at, flip, more) => {
        const changed = Buffer.concat([whole, more]);
        changed[at] = changed[at]! ^ flip;
        writeFileSync(file, changed);
        expect(await bothReads(file)).toEqual([
          ['corrupt', 0],
          ['corrupt', 0],
        ]);
      }),
      { numRuns: 200 },
    );
    // Version 2 (the header's third word), its checksum made again: whole, but not trusted.
    const outdated = Buffer.from(whole);
    outdated.writeUInt32LE(2, 8);
    createHash('sha256').update(outdated.subarray(0, outdated.length - 32)).digest().copy(outdated, outdated.length - 32);
    writeFileSync(file, outdated);
    expect(await bothReads(file)).toEqual([
      ['outdated', 0],
      ['outdated', 0],
    ]);
  });

  it('is what openDigestCache gives ahead: the same hits, and the cache saved as with the digester read on this thread', async () => {
    const home = join(dir, 'xdg');
    mkdirSync(home);
    const root = realpathSync(dir);
    const entries = entriesOf(5, false);
    const first = openDigestCache(root, { XDG_CACHE_HOME: home });
    const digester = first.digester(innerOf(entries));
    for (const [n, e] of entries.entries()) await digester.digest(`/${n}`, e.algo, e.s);
    expect(first.finish()).toMatch(/: 0 digests reused$/);
    const rescan = openDigestCache(root, { XDG_CACHE_HOME: home });
    const inner = innerOf(entries);
    const ahead = await rescan.digesterAhead(inner);
    for (const [n, e] of entries.entries()) await ahead.digest(`/${n}`, e.algo, e.s);
    expect(inner.asked).toEqual([]);
    expect(rescan.finish()).toMatch(/: 5 digests reused$/);
  });

  it('reads the cache file while the digester it wraps is still starting', async () => {
    const home = join(dir, 'xdg');
    mkdirSync(home);
    const root = realpathSync(dir);
    const entries = entriesOf(6, false); // the last one not cached: the started digester reads it
    const first = openDigestCache(root, { XDG_CACHE_HOME: home });
    const digester = first.digester(innerOf(entries));
    for (const [n, e] of entries.slice(0, 5).entries()) await digester.digest(`/${n}`, e.algo, e.s);
    const file = /^digest cache (.*): 0 digests reused$/.exec(first.finish())![1]!;
    const rescan = openDigestCache(root, { XDG_CACHE_HOME: home });
    const inner = innerOf(entries);
    let started!: (inner: DigestPort) => void;
    const ahead = rescan.digesterAhead(new Promise<DigestPort>((resolve) => (started = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the read, on libuv's pool, is done long before
    rmSync(file); // what was read stays read
    started(inner);
    const cached = await ahead;
    for (const [n, e] of entries.entries()) await cached.digest(`/${n}`, e.algo, e.s);
    expect(inner.asked).toEqual(['/5']);
    expect(rescan.finish()).toMatch(/: 5 digests reused$/);
  });

  it('adds entries to columns it took as views of a buffer without writing into that buffer', () => {
    const entries = entriesOf(6, false);
    const count = 2;
    // The buffer: 4 guard bytes, the key words, the algorithm codes, the digests, 4 guard bytes.
    const bytes = Buffer.alloc(4 + count * (WORDS * 4 + 1 + 32) + 4, 0xaa);
    const keys = new Uint32Array(bytes.buffer, bytes.byteOffset + 4, count * WORDS);
    const algosAt = 4 + count * WORDS * 4;
    for (let n = 0; n < count; n++) {
      statWords(entries[n]!.s, keys.subarray(n * WORDS, (n + 1) * WORDS));
      bytes[algosAt + n] = 4; // sha256
      Buffer.from(entries[n]!.hex, 'hex').copy(bytes, algosAt + count + n * 32);
    }
    const before = Buffer.from(bytes);
    const table = new DigestTable();
    expect(table.adoptColumns(count, count * 32, keys, bytes.subarray(algosAt, algosAt + count), bytes.subarray(algosAt + count, algosAt + count + count * 32))).toBe(true);
    for (const e of entries.slice(count)) table.add(e.s, e.algo, e.hex, true);
    for (const e of entries) expect(table.use(e.s, e.algo)).toBe(e.hex);
    expect(bytes.equals(before)).toBe(true);
    // Columns of other lengths than the counts say are refused.
    expect(new DigestTable().adoptColumns(count, count * 32, keys.subarray(1), bytes.subarray(algosAt, algosAt + count), bytes.subarray(algosAt + count, algosAt + count + count * 32))).toBe(false);
  });
});
