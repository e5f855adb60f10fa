import { realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DigestPort } from '#backup/domain/ports/digest.port.js';
import { cacheFolder, machineId } from '#backup/adapters/cache-folder/cache-folder.js';
import { sha256Now } from '#backup/adapters/native-walker/sha256-of.js';
import { readCacheFileAhead } from './cache-file.js';
import { CachingDigester, SETTLE_MS, type CacheOwner } from './digest-cache.js';

/** Removes the text cache (version 1) an older what-to-backup left: this one never reads it. Failing is harmless. */
function removeOldFormat(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // left for the next save
  }
}

/** Where the digest cache of a scanned root lives, and how the scan uses and reports it. */
export function openDigestCache(root: string, env: Readonly<Record<string, string | undefined>>) {
  const dir = cacheFolder(env);
  const realRoot = realpathSync(root);
  const owner: CacheOwner = { machine: machineId(), root: realRoot };
  const name = join(dir, `digests-${sha256Now(realRoot).toString('hex').slice(0, 16)}`);
  const file = `${name}.bin`;
  let caching: CachingDigester | undefined;
  return {
    /** Wrap the real digester in the cache (once per scan; `save` it afterwards). */
    digester(inner: DigestPort): DigestPort {
      caching = new CachingDigester(inner, file, owner);
      return caching;
    },
    /**
     * As `digester`, the cache file read and checked on libuv's pool while this thread does other
     * work (the package database's load), and while `inner` still starts (its module loading).
     * Rejected only when `inner` is: a file not read is `absent`.
     */
    async digesterAhead(inner: DigestPort | Promise<DigestPort>): Promise<DigestPort> {
      const [loaded, started] = await Promise.all([readCacheFileAhead(file, owner), inner]);
      caching = new CachingDigester(started, file, owner, SETTLE_MS, loaded);
      return caching;
    },
    /** Saves the cache, then lets go of its entries; returns a line for the report. */
    finish(): string {
      if (!caching) return '';
      const ignored = caching.rejected === 'corrupt' || caching.rejected === 'foreign' ? ` (a ${caching.rejected} cache was ignored)` : '';
      try {
        caching.save();
        removeOldFormat(`${name}.txt`);
        return `digest cache ${file}: ${caching.hits} digests reused${ignored}`;
      } catch (error) {
        return `digest cache ${file} could not be written: ${(error as Error).message}${ignored}`;
      } finally {
        caching.forget();
      }
    },
  };
}
