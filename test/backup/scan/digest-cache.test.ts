import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachingDigester, parseDigestCache, renderDigestCache } from '#backup/adapters/digest-cache/digest-cache.js';
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
