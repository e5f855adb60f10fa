import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachingDigester } from '#backup/adapters/digest-cache/digest-cache.js';
import { openDigestCache } from '#backup/adapters/digest-cache/digest-cache-file.js';
import type { DigestAlgo, DigestPort } from '#backup/domain/ports/digest.port.js';
import { stat } from './owned-file.js';

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
    const file = join(dir, 'cache.bin');
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
    const file = join(dir, 'cache.bin');
    const far = { machine: 'm1', root: '/srv/\u65e5\u672c/caf\u00e9' };
    const first = new CachingDigester(counting(), file, far);
    await first.digest('/a', 'sha256', stat());
    first.save();
    const rescan = new CachingDigester(counting(), file, far);
    expect(rescan.rejected).toBeUndefined();
    expect(rescan.known(stat(), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
  });

  it('keeps working for a file dated before 1970 (a negative mtime and ctime)', async () => {
    const file = join(dir, 'cache.bin');
    const old = stat({ mtimeNs: -86_400_000_000_000n, ctimeNs: -1n });
    const first = new CachingDigester(counting(), file, owner);
    await first.digest('/old', 'sha256', old);
    first.save();
    const rescan = new CachingDigester(counting(), file, owner);
    expect(rescan.rejected).toBeUndefined();
    expect(rescan.known(old, 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
  });

  it('hashes again a file changed since the cache was written: another device, inode, size, mtime or ctime', async () => {
    const file = join(dir, 'cache.bin');
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

  it('keeps only what the last scan used, and never a failed digest', async () => {
    const file = join(dir, 'cache.bin');
    const cache = new CachingDigester(counting(), file, owner);
    await cache.digest('/unreadable', 'sha256', stat({ ino: 9n }));
    await cache.digest('/a', 'sha256', stat());
    cache.flush();
    cache.save();
    expect(new CachingDigester(counting(), file, owner).held).toBe(1);
  });

  it('leaves the file alone when a rescan reused every digest, and rewrites it when one dropped out', async () => {
    const file = join(dir, 'cache.bin');
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
    expect(statSync(file).ino).not.toBe(written);
    const again = new CachingDigester(counting(), file, owner);
    expect(again.held).toBe(1);
    expect(again.known(stat(), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
  });

  it('ignores a cache of another machine or root entirely', async () => {
    const file = join(dir, 'cache.bin');
    const first = new CachingDigester(counting(), file, owner);
    await first.digest('/a', 'sha256', stat());
    first.save();
    for (const other of [{ machine: 'm2', root: '/' }, { machine: 'm1', root: '/mnt' }]) {
      const cache = new CachingDigester(counting(), file, other);
      expect(cache.rejected).toBe('foreign');
      expect(cache.known(stat(), 'sha256')).toBeUndefined();
    }
    expect(new CachingDigester(counting(), file, owner).rejected).toBeUndefined();
  });
});

/** A cache file holding an entry of every algorithm; the stats and digests it holds. */
async function savedCache(file: string): Promise<Array<{ s: ReturnType<typeof stat>; algo: DigestAlgo; hex: string }>> {
  const algos: DigestAlgo[] = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
  const entries = algos.map((algo, n) => ({ s: stat({ ino: BigInt(n), mtimeNs: -BigInt(n) }), algo, hex: createHash(algo).update(String(n)).digest('hex') }));
  const inner: DigestPort = { digest: async (path) => ({ ok: true, hex: entries[Number(path.slice(1))]!.hex, size: 5n }) };
  const first = new CachingDigester(inner, file, owner);
  for (const [n, e] of entries.entries()) await first.digest(`/${n}`, e.algo, e.s);
  first.save();
  return entries;
}

describe('digest cache file checks', () => {
  it('reads back every entry it wrote', async () => {
    const file = join(dir, 'cache.bin');
    const entries = await savedCache(file);
    const rescan = new CachingDigester(counting(), file, owner);
    expect(rescan.rejected).toBeUndefined();
    for (const e of entries) expect(rescan.known(e.s, e.algo)).toEqual({ ok: true, hex: e.hex, size: 5n });
  });

  it('takes a truncated file for corrupt, whatever its length, and reuses none of it', async () => {
    const file = join(dir, 'cache.bin');
    const entries = await savedCache(file);
    const whole = readFileSync(file);
    for (let length = 0; length < whole.length; length++) {
      writeFileSync(file, whole.subarray(0, length));
      const cache = new CachingDigester(counting(), file, owner);
      expect(cache.rejected).toBe('corrupt');
      expect(cache.held).toBe(0);
      for (const e of entries) expect(cache.known(e.s, e.algo)).toBeUndefined();
    }
  });

  it('takes a file with any byte changed, or bytes added, for corrupt, and reuses none of it', async () => {
    const file = join(dir, 'cache.bin');
    const entries = await savedCache(file);
    const whole = readFileSync(file);
    fc.assert(
      fc.property(fc.nat(whole.length - 1), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 3 }), (at, flip, more) => {
        fc.pre(flip !== 0 || more.length > 0);
        const changed = Buffer.concat([whole, more]);
        changed[at] = changed[at]! ^ flip;
        writeFileSync(file, changed);
        const cache = new CachingDigester(counting(), file, owner);
        expect(cache.rejected).toBe('corrupt');
        for (const e of entries) expect(cache.known(e.s, e.algo)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('takes a cache of the text format (version 1), or any other file, for corrupt', () => {
    const file = join(dir, 'cache.bin');
    const text = `{"format":"what-to-backup-digest-cache","version":1,"machine":"m1","root":"/"}\n1:2:5:1000500000000:1000000000000:sha256 ${hex64}\n`;
    for (const content of [text, 'garbage', '']) {
      writeFileSync(file, content);
      const cache = new CachingDigester(counting(), file, owner);
      expect(cache.rejected).toBe('corrupt');
      expect(cache.known(stat(), 'sha256')).toBeUndefined();
    }
  });

  it('replaces a text cache (version 1) left by an older what-to-backup: it is not read, and removed once the new one is saved', async () => {
    const home = join(dir, 'xdg');
    const folder = join(home, 'what-to-backup');
    mkdirSync(folder, { recursive: true });
    const root = realpathSync(dir);
    const name = `digests-${createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
    writeFileSync(join(folder, `${name}.txt`), `{"format":"what-to-backup-digest-cache","version":1,"machine":"m1","root":"/"}\n`);
    const cache = openDigestCache(root, { XDG_CACHE_HOME: home });
    const digester = cache.digester(counting());
    await digester.digest('/a', 'sha256', stat());
    expect(cache.finish()).toMatch(/: 0 digests reused$/);
    expect(readdirSync(folder)).toEqual([`${name}.bin`]);
    expect(existsSync(join(folder, `${name}.txt`))).toBe(false);
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
    const file = join(dir, 'cache.bin');
    const first = new CachingDigester(distinct, file, owner);
    for (let i = 0; i < many; i++) await first.digest(`/f${i}`, 'md5', stat({ ino: BigInt(i), mtimeNs: -BigInt(i) * 1_000_000_007n }));
    expect(first.held).toBe(0);
    expect(readdirSync(dir)).toEqual([]); // the spool has no name
    first.save();
    first.forget();
    expect(readdirSync(dir)).toEqual(['cache.bin']);
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
    const file = join(dir, 'not-yet', 'cache.bin');
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
    const file = join(dir, 'plain-file', 'cache.bin');
    const cache = new CachingDigester(distinct, file, owner);
    for (let i = 0; i < many; i++) await cache.digest(`/f${i}`, 'md5', stat({ ino: BigInt(i) }));
    expect(cache.held).toBeGreaterThan(0);
    // Those kept in memory are reused within the scan; none is lost without the file.
    expect(cache.known(stat({ ino: BigInt(many - 1) }), 'md5')).toEqual(await distinct.digest(`/f${many - 1}`, 'md5'));
    expect(() => cache.save()).toThrow();
  });

  it('may be computed twice for one file (a hard link met twice), and the cache then reads as one entry', async () => {
    const file = join(dir, 'cache.bin');
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

describe('digest cache, content checks (the walk comparing with the digest a package records)', () => {
  const expected = Buffer.from(hex64, 'hex');
  const other = Buffer.from('c'.repeat(64), 'hex');
  /** An inner digester with `check`, as the addon: a match answers true, else the digest found. */
  function checking(found: string, size = 5n): DigestPort & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      digest: async () => ({ ok: true, hex: found, size }),
      check: async (path, _algo, _stat, want, at, length, into) => {
        asked.push(path);
        await Promise.resolve(); // answered later, as a batch is
        into.answer = Buffer.from(want.subarray(at, at + length)).toString('hex') === found ? true : { ok: true, hex: found, size };
      },
    };
  }
  const ask = async (d: CachingDigester, want: Buffer, seen = stat()) => {
    const into: { answer: true | Awaited<ReturnType<DigestPort['digest']>> | undefined } = { answer: undefined };
    const ready = d.check('/a', 'sha256', seen, want, 0, want.length, into);
    const atOnce = into.answer !== undefined;
    await ready;
    return { answer: into.answer, atOnce };
  };

  it('answers from the cache at once on a hit, reading nothing, and keeps what a miss found for the next scan', async () => {
    const file = join(dir, 'cache.bin');
    const first = new CachingDigester(checking(hex64), file, owner);
    expect(await ask(first, expected)).toEqual({ answer: true, atOnce: false });
    first.save();
    const inner = checking(hex64);
    const rescan = new CachingDigester(inner, file, owner);
    expect(await ask(rescan, expected)).toEqual({ answer: true, atOnce: true });
    expect(await ask(rescan, other)).toEqual({ answer: { ok: true, hex: hex64, size: 5n }, atOnce: true });
    expect(inner.asked).toEqual([]);
    expect(rescan.hits).toBe(2);
    // The digest kept is the one a match stood for: a plain digest asks no content either.
    expect(await rescan.digest('/a', 'sha256', stat())).toEqual({ ok: true, hex: hex64, size: 5n });
    // A file changed since (another ctime) is a miss: read again.
    expect(await ask(rescan, expected, stat({ ctimeNs: 9n }))).toEqual({ answer: true, atOnce: false });
    expect(inner.asked).toEqual(['/a']);
  });

  it('keeps a differing digest, but nothing read from a file whose size moved', async () => {
    const file = join(dir, 'cache.bin');
    const first = new CachingDigester(checking('d'.repeat(64)), file, owner);
    expect((await ask(first, expected)).answer).toEqual({ ok: true, hex: 'd'.repeat(64), size: 5n });
    first.save();
    const rescan = new CachingDigester(checking(hex64), file, owner);
    expect(await ask(rescan, expected)).toEqual({ answer: { ok: true, hex: 'd'.repeat(64), size: 5n }, atOnce: true });
    const grown = new CachingDigester(checking(hex64, 6n), join(dir, 'other.bin'), owner);
    expect((await ask(grown, other)).answer).toEqual({ ok: true, hex: hex64, size: 6n });
    grown.save();
    expect(new CachingDigester(checking(hex64), join(dir, 'other.bin'), owner).known(stat(), 'sha256')).toBeUndefined();
  });

  it('answers a check at once from what it holds (checkKnown): true, else the digest held; nothing for any key field changed', async () => {
    const file = join(dir, 'cache.bin');
    const first = new CachingDigester(checking(hex64), file, owner);
    await ask(first, expected);
    first.save();
    const inner = checking(hex64);
    const rescan = new CachingDigester(inner, file, owner);
    expect(rescan.checkKnown(stat(), 'sha256', expected, 0, expected.length)).toBe(true);
    expect(rescan.checkKnown(stat(), 'sha256', other, 0, other.length)).toEqual({ ok: true, hex: hex64, size: 5n });
    const changes = [{ dev: 9n }, { ino: 9n }, { size: 6n }, { mtimeNs: 1000_500_000_001n }, { ctimeNs: 1000_000_000_001n }];
    for (const change of changes) expect(rescan.checkKnown(stat(change), 'sha256', expected, 0, expected.length)).toBeUndefined();
    expect(rescan.checkKnown(stat(), 'md5', expected, 0, 16)).toBeUndefined();
    expect(rescan.hits).toBe(2);
    // A check after a miss asks the inner digester once, and counts no hit.
    const changed = stat({ ctimeNs: 7n });
    expect(rescan.checkKnown(changed, 'sha256', expected, 0, expected.length)).toBeUndefined();
    expect(await ask(rescan, expected, changed)).toEqual({ answer: true, atOnce: false });
    expect(inner.asked).toEqual(['/a']);
    expect(rescan.hits).toBe(2);
  });

  it('keeps every answer of a batch of checks, even when saved before the batch\'s promise settles', async () => {
    const file = join(dir, 'cache.bin');
    // As the addon: answers set in place, the batch's one promise settled later (here: never).
    const answering: DigestPort = {
      digest: () => Promise.reject(new Error('not asked')),
      check: (_path, _algo, _stat, want, at, length, into) => {
        into.answer = Buffer.from(want.subarray(at, at + length)).toString('hex') === hex64 ? true : { ok: true, hex: 'e'.repeat(64), size: 5n };
        return new Promise<void>(() => undefined);
      },
    };
    const first = new CachingDigester(answering, file, owner);
    for (let ino = 1n; ino <= 3n; ino++) void first.check('/a', 'sha256', stat({ ino }), ino === 3n ? other : expected, 0, 32, { answer: undefined });
    first.save();
    const rescan = new CachingDigester(checking(hex64), file, owner);
    expect(rescan.known(stat({ ino: 1n }), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
    expect(rescan.known(stat({ ino: 2n }), 'sha256')).toEqual({ ok: true, hex: hex64, size: 5n });
    expect(rescan.known(stat({ ino: 3n }), 'sha256')).toEqual({ ok: true, hex: 'e'.repeat(64), size: 5n });
  });

  it('keeps what batches of checks found in the order they were asked, whatever order they are answered in', async () => {
    const file = join(dir, 'cache.bin');
    // Two batches of three checks, the second answered first (batches in flight finish in any order).
    const releases: Array<() => void> = [];
    const batches = [0, 1].map(() => new Promise<void>((resolve) => releases.push(resolve)));
    let asked = 0;
    const reordering: DigestPort = {
      digest: () => Promise.reject(new Error('not asked')),
      check: (_path, _algo, _stat, _want, _at, _length, into) => {
        into.answer = true;
        return batches[Math.floor(asked++ / 3)]!;
      },
    };
    const first = new CachingDigester(reordering, file, owner);
    const checks = [1n, 2n, 3n, 4n, 5n, 6n].map((ino) => first.check('/a', 'sha256', stat({ ino }), expected, 0, 32, { answer: undefined }));
    releases[1]!();
    await checks[5];
    releases[0]!();
    await checks[0];
    first.save();
    // The file's key words, ten 32-bit words an entry after the header and the owner: the inode's low word is the third.
    const bytes = readFileSync(file);
    const count = bytes.readUInt32LE(16);
    const keysAt = 32 + bytes.readUInt32LE(24);
    expect(Array.from({ length: count }, (_, i) => bytes.readUInt32LE(keysAt + i * 40 + 8))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('checks through a plain digest when the inner digester has no check (the worker threads)', async () => {
    const d = new CachingDigester(counting(), join(dir, 'cache.bin'), owner);
    expect(await ask(d, expected)).toEqual({ answer: true, atOnce: false });
    expect(await ask(d, other)).toEqual({ answer: { ok: true, hex: hex64, size: 5n }, atOnce: false });
    d.save();
    const rescan = new CachingDigester(counting(), join(dir, 'cache.bin'), owner);
    expect(await ask(rescan, other)).toEqual({ answer: { ok: true, hex: hex64, size: 5n }, atOnce: true });
  });
});
