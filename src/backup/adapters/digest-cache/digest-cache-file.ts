import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DigestPort } from '#backup/domain/ports/digest.port.js';
import { CachingDigester, type CacheOwner } from './digest-cache.js';

/** This machine's identity: /etc/machine-id, else the host name. */
function machineId(): string {
  try {
    return readFileSync('/etc/machine-id', 'utf8').trim() || hostname();
  } catch {
    return hostname();
  }
}

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
  const home = env.HOME ?? '/root';
  const dir = join(env.XDG_CACHE_HOME || join(home, '.cache'), 'what-to-backup');
  const realRoot = realpathSync(root);
  const owner: CacheOwner = { machine: machineId(), root: realRoot };
  const name = join(dir, `digests-${createHash('sha256').update(realRoot).digest('hex').slice(0, 16)}`);
  const file = `${name}.bin`;
  let caching: CachingDigester | undefined;
  let realDir: string;
  try {
    realDir = realpathSync(dir);
  } catch {
    realDir = dir;
  }
  const prefix = realRoot === '/' ? '' : realRoot;
  return {
    /** The cache folder as a path of the scanned system, when the scan would otherwise list it. */
    insideRoot: realDir.startsWith(`${prefix}/`) ? Buffer.from(realDir.slice(prefix.length)).toString('latin1') : undefined,
    /** Wrap the real digester in the cache (once per scan; `save` it afterwards). */
    digester(inner: DigestPort): DigestPort {
      caching = new CachingDigester(inner, file, owner);
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
