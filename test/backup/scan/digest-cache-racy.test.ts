/**
 * The "racy clean" case git met long ago: a file rewritten, same size, in the same clock tick as
 * (and after) the read that hashed it keeps its size, mtime and ctime where timestamps are coarse
 * (a kernel before 6.13 gives ctime to the jiffy; FAT keeps 2 s, some NFS and ext3 1 s). Its
 * key then names the new content, its digest is the old one's, and every later scan would answer
 * "unmodified" from the cache. The cache keeps no digest of a file whose mtime or ctime is not
 * safely older than the read; this run's answer is still the one read.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachingDigester, SETTLE_MS } from '#backup/adapters/digest-cache/digest-cache.js';
import { openDigestCache } from '#backup/adapters/digest-cache/digest-cache-file.js';
import type { ContentCheck, DigestPort } from '#backup/domain/ports/digest.port.js';
import { fileStat, type FileStat } from '#backup/domain/ports/file-system.port.js';
import { stat } from './owned-file.js';

const owner = { machine: 'm1', root: '/' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let dir: string;
let cache: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cave-digest-racy-'));
  cache = join(dir, 'cache.bin');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A file's content that the test rewrites behind the cache's back, hashed as the addon would (a digest, or a check). */
function contentOf(initial: string) {
  const file = { content: initial, reads: 0 };
  const digest = async () => (file.reads++, { ok: true as const, hex: sha256(file.content), size: BigInt(file.content.length) });
  const inner: DigestPort = {
    digest,
    check: async (_path, _algo, _stat, want, at, length, into) => {
      const found = await digest();
      into.answer = Buffer.from(want.subarray(at, at + length)).toString('hex') === found.hex ? true : found;
    },
  };
  return { file, inner };
}

/** A stat whose mtime and ctime are `ago` milliseconds before now (and the same for every scan: coarse timestamps). */
const statAgo = (ago: number): FileStat => {
  const ns = BigInt(Date.now() - ago) * 1_000_000n;
  return stat({ mtimeNs: ns, ctimeNs: ns, size: 7n });
};

/** A content check through `d`, as the walk asks it; its answer. */
async function check(d: CachingDigester, seen: FileStat, expected: string) {
  const want = Buffer.from(expected, 'hex');
  const into: ContentCheck = { answer: undefined };
  await d.check('/a', 'sha256', seen, want, 0, want.length, into);
  return into.answer;
}

describe('digest cache, a file rewritten in the clock tick it was read in', () => {
  it('is read again on the next scan, not answered with the digest of what it held before (a digest)', async () => {
    const { file, inner } = contentOf('before\n');
    const seen = statAgo(0); // what lstat says before and after the rewrite: same size, mtime and ctime
    const first = new CachingDigester(inner, cache, owner);
    expect(await first.digest('/a', 'sha256', seen)).toEqual({ ok: true, hex: sha256('before\n'), size: 7n }); // this run's answer stands
    first.save();
    file.content = 'AFTER!\n'; // same size, same tick
    const rescan = new CachingDigester(inner, cache, owner);
    expect(await rescan.digest('/a', 'sha256', seen)).toEqual({ ok: true, hex: sha256('AFTER!\n'), size: 7n });
    expect(rescan.hits).toBe(0);
    expect(file.reads).toBe(2);
  });

  it('is read again on the next scan, not answered "unmodified" (a content check against the digest a package records)', async () => {
    const { file, inner } = contentOf('before\n');
    const recorded = sha256('before\n');
    const seen = statAgo(0);
    const first = new CachingDigester(inner, cache, owner);
    expect(await check(first, seen, recorded)).toBe(true);
    first.save();
    file.content = 'AFTER!\n';
    const rescan = new CachingDigester(inner, cache, owner);
    expect(await check(rescan, seen, recorded)).toEqual({ ok: true, hex: sha256('AFTER!\n'), size: 7n });
    expect(rescan.hits).toBe(0);
  });

  it(`keeps a digest once the file's mtime and ctime are more than the settling time (${SETTLE_MS} ms) before the read`, async () => {
    const { inner } = contentOf('before\n');
    const old = statAgo(SETTLE_MS + 1000);
    const recentMtime = stat({ ino: 3n, size: 7n, mtimeNs: statAgo(0).mtimeNs, ctimeNs: old.ctimeNs });
    const recentCtime = stat({ ino: 4n, size: 7n, mtimeNs: old.mtimeNs, ctimeNs: statAgo(0).ctimeNs });
    const future = statAgo(-60_000); // a clock ahead of ours (a file server's): never settled
    const first = new CachingDigester(inner, cache, owner);
    for (const s of [old, recentMtime, recentCtime, future]) await first.digest('/a', 'sha256', s);
    for (const s of [old, recentMtime, recentCtime, future]) await check(first, { ...s, ino: s.ino + 10n }, sha256('before\n'));
    first.save();
    const rescan = new CachingDigester(inner, cache, owner);
    expect(rescan.held).toBe(2);
    expect(rescan.known(old, 'sha256')).toEqual({ ok: true, hex: sha256('before\n'), size: 7n });
    expect(rescan.checkKnown({ ...old, ino: old.ino + 10n }, 'sha256', Buffer.from(sha256('before\n'), 'hex'), 0, 32)).toBe(true);
  });

  it('takes the settling time as a parameter (a test keeps every digest with -Infinity)', async () => {
    const { inner } = contentOf('before\n');
    const tenAgo = statAgo(10_000);
    for (const [settleMs, held] of [[20_000, 0], [5_000, 1], [-Infinity, 2]] as const) {
      const first = new CachingDigester(inner, cache, owner, settleMs);
      await first.digest('/a', 'sha256', tenAgo);
      await first.digest('/a', 'sha256', statAgo(-1000));
      first.save();
      expect(new CachingDigester(inner, cache, owner).held).toBe(held);
      rmSync(cache);
    }
  });

  it('compares a real file\'s times, as this kernel stamps them, with the process clock', async () => {
    const path = join(dir, 'real');
    writeFileSync(path, 'before\n');
    const seen = fileStat('file', lstatSync(path, { bigint: true }));
    const inner: DigestPort = { digest: async () => ({ ok: true, hex: sha256(readFileSync(path, 'latin1')), size: 7n }) };
    const settle = 200;
    const first = new CachingDigester(inner, cache, owner, settle);
    await first.digest(path, 'sha256', seen); // just written: too recent
    first.save();
    expect(new CachingDigester(inner, cache, owner).held).toBe(0);
    const newest = Number((seen.mtimeNs > seen.ctimeNs ? seen.mtimeNs : seen.ctimeNs) / 1_000_000n);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, newest + settle + 50 - Date.now())));
    const later = new CachingDigester(inner, cache, owner, settle);
    await later.digest(path, 'sha256', seen);
    later.save();
    expect(new CachingDigester(inner, cache, owner).known(seen, 'sha256')).toEqual({ ok: true, hex: sha256('before\n'), size: 7n });
  });
});

describe('digest cache, a cache file written before digests of recent files were held back (format version 2)', () => {
  /** `file` rewritten as the same cache of format `version`, its checksum (the last 32 bytes, of all before them) made anew. */
  const asVersion = (file: string, version: number) => {
    const bytes = readFileSync(file);
    bytes.writeUInt32LE(version, 8);
    createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest().copy(bytes, bytes.length - 32);
    writeFileSync(file, bytes);
  };

  it('is not used (it may hold such a digest), is reported as nothing amiss, and is replaced by the next save', async () => {
    const { inner } = contentOf('before\n');
    const old = statAgo(SETTLE_MS + 1000);
    const first = new CachingDigester(inner, cache, owner);
    await first.digest('/a', 'sha256', old);
    first.save();
    asVersion(cache, 2);
    const upgraded = new CachingDigester(inner, cache, owner);
    expect(upgraded.rejected).toBe('outdated');
    expect(upgraded.known(old, 'sha256')).toBeUndefined();
    await upgraded.digest('/a', 'sha256', old);
    upgraded.save();
    const next = new CachingDigester(inner, cache, owner);
    expect(next.rejected).toBeUndefined();
    expect(next.known(old, 'sha256')).toEqual({ ok: true, hex: sha256('before\n'), size: 7n });
    // Nothing amiss in the report: only the digests are read again.
    const home = join(dir, 'xdg');
    const root = realpathSync(dir);
    const cacheOf = openDigestCache(root, { XDG_CACHE_HOME: home });
    await cacheOf.digester(inner).digest('/a', 'sha256', old);
    cacheOf.finish();
    asVersion(join(home, 'what-to-backup', `digests-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.bin`), 2);
    const again = openDigestCache(root, { XDG_CACHE_HOME: home });
    await again.digester(inner).digest('/a', 'sha256', old);
    expect(again.finish()).toMatch(/: 0 digests reused$/);
    // Any other version, or a version 2 file with a byte changed, is corrupt.
    asVersion(cache, 4);
    expect(new CachingDigester(inner, cache, owner).rejected).toBe('corrupt');
    asVersion(cache, 2);
    const damaged = readFileSync(cache);
    damaged[damaged.length - 40]! ^= 1;
    writeFileSync(cache, damaged);
    expect(new CachingDigester(inner, cache, owner).rejected).toBe('corrupt');
  });
});
