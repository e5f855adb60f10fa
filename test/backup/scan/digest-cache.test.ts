import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lineCount, readBytes, readCacheLines } from '#backup/adapters/digest-cache/cache-lines.js';
import { CachingDigester, parseDigestCache, renderDigestCache } from '#backup/adapters/digest-cache/digest-cache.js';
import type { DigestAlgo, DigestPort } from '#backup/domain/ports/digest.port.js';
import { stat } from './owned-file.js';
import { statWords, textWords, WORDS } from '#backup/adapters/digest-cache/cache-key.js';

const owner = { machine: 'm1', root: '/' };
const hex64 = 'a'.repeat(64);
let dir: string;

/** An inner digester that counts what it is asked to hash. */
function counting(): DigestPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    digest: async (path: string, algo: DigestAlgo) => {
      asked.push(path);
      return path === '/unreadable' ? { ok: false, code: 'EACCES' } : { ok: true, hex: algo === 'sha256' ? hex64 : 'b'.repeat(32), size: 5n };
    },
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cave-digest-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('digest cache', () => {
  it('hashes a file again only when its device, inode, size, mtime or ctime changed', async () => {
    const file = join(dir, 'cache.txt');
    const first = new CachingDigester(counting(), file, owner);
    expect(first.rejected).toBe('absent');
    await first.digest('/a', 'sha256', stat());
    first.save();
    const inner = counting();
    const second = new CachingDigester(inner, file, owner);
    expect(await second.digest('/a', 'sha256', stat())).toEqual({ ok: true, hex: hex64, size: 5n });
    await second.digest('/a', 'sha256', stat({ ctimeNs: 1n }));
    await second.digest('/a', 'md5', stat());
    await second.digest('/a', 'sha256');
    expect(second.hits).toBe(1);
    expect(inner.asked).toEqual(['/a', '/a', '/a']);
    // Asked without reading, a hit comes back at once and a miss as undefined.
    expect(second.known(stat(), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
    expect(second.known(stat({ size: 6n }), 'sha256')).toBeUndefined();
  });

  it('is used again for a root whose name is not Latin-1 (the file is written as bytes)', async () => {
    const file = join(dir, 'cache.txt');
    const far = { machine: 'm1', root: '/srv/\u65e5\u672c/caf\u00e9' };
    const first = new CachingDigester(counting(), file, far);
    await first.digest('/a', 'sha256', stat());
    first.save();
    const rescan = new CachingDigester(counting(), file, far);
    expect(rescan.rejected).toBeUndefined();
    expect(rescan.known(stat(), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
  });

  it('keeps working for a file dated before 1970 (a negative mtime and ctime)', async () => {
    const file = join(dir, 'cache.txt');
    const old = stat({ mtimeNs: -86_400_000_000_000n, ctimeNs: -1n });
    const first = new CachingDigester(counting(), file, owner);
    await first.digest('/old', 'sha256', old);
    first.save();
    const rescan = new CachingDigester(counting(), file, owner);
    expect(rescan.rejected).toBeUndefined();
    expect(rescan.known(old, 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
  });

  it('hashes again a file changed since the cache was written: another device, inode, size, mtime or ctime', async () => {
    const file = join(dir, 'cache.txt');
    const first = new CachingDigester(counting(), file, owner);
    await first.digest('/a', 'sha256', stat());
    first.save();
    const changes = [{ dev: 9n }, { ino: 9n }, { size: 6n }, { mtimeNs: 1000_500_000_001n }, { ctimeNs: 1000_000_000_001n }];
    const inner = counting();
    const rescan = new CachingDigester(inner, file, owner);
    for (const change of changes) expect(rescan.known(stat(change), 'sha256')).toBeUndefined();
    for (const change of changes) await rescan.digest('/a', 'sha256', stat(change));
    expect(inner.asked).toHaveLength(changes.length);
    expect(rescan.hits).toBe(0);
    expect(rescan.known(stat(), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
  });

  it('trusts a cache file only when every line is well formed, as the format spells it', () => {
    // The format as a regex, line by line (a time before 1970 is negative): the reader checks it byte by byte.
    const HEX: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };
    const wellFormed = (line: string) => {
      const m = /^(-?\d+:-?\d+:-?\d+:-?\d+:-?\d+:(md5|sha1|sha224|sha256|sha384|sha512)) ([0-9a-f]+)$/.exec(line);
      return m !== null && m[3]!.length === HEX[m[2]!];
    };
    const good = renderDigestCache([], owner);
    const number = fc.oneof(fc.nat().map(String), fc.constantFrom('', '1x', '-1', '00', '18446744073709551615'));
    const algo = fc.constantFrom('md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha', 'sha25', 'sha2566', 'SHA1', 'md4', 'sha999');
    const hex = fc.oneof(
      fc.constantFrom(32, 40, 56, 64, 96, 128).map((n) => 'f0'.repeat(n / 2)),
      fc.string({ unit: fc.constantFrom('0', 'a', 'f', 'g', 'A', ' ', ':'), maxLength: 130 }),
    );
    const line = fc.oneof(
      fc.tuple(fc.array(number, { minLength: 5, maxLength: 5 }), algo, fc.constantFrom(' ', '  ', ':'), hex).map(([n, a, sep, h]) => `${n.join(':')}:${a}${sep}${h}`),
      fc.string({ unit: fc.constantFrom('1', ':', ' ', 'a', 's', 'h', '5', '\r'), maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const text = good + lines.map((l) => `${l}\n`).join('');
        const parsed = parseDigestCache(text, owner);
        expect(parsed.rejected).toBe(lines.every(wellFormed) ? undefined : 'corrupt');
        if (parsed.rejected === undefined) {
          const first = new Map<string, string>();
          for (const l of lines) if (!first.has(l.split(' ')[0]!)) first.set(l.split(' ')[0]!, l.split(' ')[1]!);
          expect(parsed.entries).toEqual(first);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps only what the last scan used, and never a failed digest', async () => {
    const file = join(dir, 'cache.txt');
    const cache = new CachingDigester(counting(), file, owner);
    await cache.digest('/unreadable', 'sha256', stat({ ino: 9n }));
    await cache.digest('/a', 'sha256', stat());
    cache.flush();
    cache.save();
    expect(readFileSync(file, 'latin1').split('\n')).toHaveLength(3);
  });

  it('leaves the file alone when a rescan reused every digest, and rewrites it when one dropped out', async () => {
    const file = join(dir, 'cache.txt');
    const first = new CachingDigester(counting(), file, owner);
    await first.digest('/a', 'sha256', stat());
    await first.digest('/b', 'sha256', stat({ ino: 3n }));
    first.save();
    const written = statSync(file).ino;
    const same = new CachingDigester(counting(), file, owner);
    await same.digest('/a', 'sha256', stat());
    await same.digest('/b', 'sha256', stat({ ino: 3n }));
    same.save();
    expect(statSync(file).ino).toBe(written);
    const fewer = new CachingDigester(counting(), file, owner);
    await fewer.digest('/a', 'sha256', stat());
    fewer.save();
    expect(readFileSync(file, 'latin1').split('\n')).toHaveLength(3);
  });

  it('ignores a cache of another machine or root, and a corrupt one, entirely', () => {
    const good = renderDigestCache(new Map([['1:2:5:0:0:sha256', hex64]]), owner);
    expect(parseDigestCache(good, owner)).toEqual({ entries: new Map([['1:2:5:0:0:sha256', hex64]]), rejected: undefined });
    expect(parseDigestCache(good, { machine: 'm2', root: '/' }).rejected).toBe('foreign');
    expect(parseDigestCache(good, { machine: 'm1', root: '/mnt' }).rejected).toBe('foreign');
    for (const bad of [good.slice(0, -1), 'not json\n', '{"format":"x","version":1}\n', good.replace(hex64, 'short'), `${good}garbage line\n`]) {
      expect(parseDigestCache(bad, owner)).toEqual({ entries: new Map(), rejected: 'corrupt' });
    }
    writeFileSync(join(dir, 'bad.txt'), 'garbage');
    expect(new CachingDigester(counting(), join(dir, 'bad.txt'), owner).rejected).toBe('corrupt');
  });
});

describe('digest cache file reading', () => {
  it('reads a file a chunk at a time as it reads it whole, whatever the chunk size', () => {
    const header = fc.constantFrom(renderDigestCache([], owner), renderDigestCache([], { machine: 'm2', root: '/' }), 'not json\n', '');
    const good = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: -5, max: 5 })).map(([a, b, c]) => `${a}:${b}:5:${c}:0:sha256 ${hex64}`);
    const junk = fc.string({ unit: fc.constantFrom('1', ':', ' ', 'a', '\r'), maxLength: 20 });
    const body = fc.array(fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: junk, weight: 1 }), { maxLength: 30 });
    const collect = (text: string, chunk: number) => {
      const lines: string[] = [];
      const rejected = readCacheLines(readBytes(Buffer.from(text, 'latin1')), owner, (b, at, keyEnd, hexEnd) => lines.push(b.toString('latin1', at, hexEnd)), chunk);
      return { rejected, lines: rejected === undefined ? lines : [] };
    };
    fc.assert(
      fc.property(header, body, fc.boolean(), fc.integer({ min: 1, max: 300 }), (h, lines, ended, chunk) => {
        const text = h + lines.join('\n') + (ended && lines.length > 0 ? '\n' : '');
        expect(collect(text, chunk)).toEqual(collect(text, 64 * 1024));
      }),
      { numRuns: 1000 },
    );
  });

  it("counts a file's lines a chunk at a time", () => {
    const text = `${renderDigestCache([], owner)}${'1:2:5:0:0:sha256 '.padEnd(81, 'a')}\n`.repeat(2000);
    expect(lineCount(readBytes(Buffer.from(text, 'latin1')))).toBe(4000);
  });

  it('takes a cache path that is a folder, or cannot be read, for no cache', () => {
    expect(new CachingDigester(counting(), dir, owner).rejected).toBe('absent');
  });
});

describe('digest cache, the digests a scan computes', () => {
  /** An inner digester whose digest tells the files apart. */
  const distinct: DigestPort = { digest: async (path) => ({ ok: true, hex: createHash('md5').update(path).digest('hex'), size: 5n }) };
  const many = 3000; // their lines are more than one 64 KiB chunk

  it('are kept in a file of their own until the save, not in memory, and no file is left beside the cache but the cache', async () => {
    const file = join(dir, 'cache.txt');
    const first = new CachingDigester(distinct, file, owner);
    for (let i = 0; i < many; i++) await first.digest(`/f${i}`, 'md5', stat({ ino: BigInt(i), mtimeNs: -BigInt(i) * 1_000_000_007n }));
    expect(first.held).toBe(0);
    expect(readdirSync(dir)).toEqual([]); // the spool has no name
    first.save();
    first.forget();
    expect(readdirSync(dir)).toEqual(['cache.txt']);
    const inner = counting();
    const rescan = new CachingDigester(inner, file, owner);
    expect(rescan.rejected).toBeUndefined();
    for (let i = 0; i < many; i++) {
      const result = await rescan.digest(`/f${i}`, 'md5', stat({ ino: BigInt(i), mtimeNs: -BigInt(i) * 1_000_000_007n }));
      expect(result).toEqual(await distinct.digest(`/f${i}`, 'md5'));
    }
    expect(inner.asked).toEqual([]);
    expect(rescan.hits).toBe(many);
  });

  it('make no folder while the scan runs: the cache folder appears only when the cache is saved', async () => {
    const file = join(dir, 'not-yet', 'cache.txt');
    const first = new CachingDigester(distinct, file, owner);
    for (let i = 0; i < many; i++) await first.digest(`/f${i}`, 'md5', stat({ ino: BigInt(i) }));
    expect(first.held).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    first.save();
    first.forget();
    const rescan = new CachingDigester(counting(), file, owner);
    for (let i = 0; i < many; i++) expect(rescan.known(stat({ ino: BigInt(i) }), 'md5')).toEqual(await distinct.digest(`/f${i}`, 'md5'));
  });

  it('are kept in memory when the cache folder cannot be written, and the save then fails', async () => {
    writeFileSync(join(dir, 'plain-file'), '');
    const file = join(dir, 'plain-file', 'cache.txt');
    const cache = new CachingDigester(distinct, file, owner);
    for (let i = 0; i < many; i++) await cache.digest(`/f${i}`, 'md5', stat({ ino: BigInt(i) }));
    expect(cache.held).toBeGreaterThan(0);
    // Those kept in memory are reused within the scan; none is lost without the file.
    expect(cache.known(stat({ ino: BigInt(many - 1) }), 'md5')).toEqual(await distinct.digest(`/f${many - 1}`, 'md5'));
    expect(() => cache.save()).toThrow();
  });

  it('may be computed twice for one file (a hard link met twice), and the cache then reads as one entry', async () => {
    const file = join(dir, 'cache.txt');
    const first = new CachingDigester(distinct, file, owner);
    await first.digest('/a', 'md5', stat());
    await first.digest('/hard-link-to-a', 'md5', stat());
    first.save();
    const rescan = new CachingDigester(counting(), file, owner);
    expect(rescan.rejected).toBeUndefined();
    expect(rescan.held).toBe(1);
    expect(rescan.known(stat(), 'md5')).toEqual(await distinct.digest('/a', 'md5'));
    const written = statSync(file).ino;
    rescan.save(); // every entry reused, none added: left alone
    expect(statSync(file).ino).toBe(written);
  });
});

describe('digest cache keys', () => {
  it('read from their text give the same words as from the stat, negative times included', () => {
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const i64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(u64, u64, fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), i64, i64, (dev, ino, size, mtimeNs, ctimeNs) => {
        const fromStat = new Uint32Array(WORDS);
        statWords(stat({ dev, ino, size, mtimeNs, ctimeNs }), fromStat);
        const fromText = new Uint32Array(WORDS);
        expect(textWords(Buffer.from(`${dev}:${ino}:${size}:${mtimeNs}:${ctimeNs}:sha256`, 'latin1'), 0, fromText)).toBe(true);
        expect([...fromText]).toEqual([...fromStat]);
      }),
    );
    expect(textWords(Buffer.from('1:2:3:-0:4:', 'latin1'), 0, new Uint32Array(WORDS))).toBe(false);
    expect(textWords(Buffer.from('-1:2:3:4:5:', 'latin1'), 0, new Uint32Array(WORDS))).toBe(false);
  });
});
