/**
 * Loading one of the addons node-gyp builds from source at install (binding.gyp): absent when no
 * compiler was there or when `WHAT_TO_BACKUP_NATIVE=0`, and then the JavaScript takes over.
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Where node-gyp puts the addons, from src/ and dist/ alike (both are four folders down). */
const RELEASE = new URL('../../../../build/Release/', import.meta.url);

/**
 * The addon `name` (`walker.node`, `digest.node`), or undefined when it was not built or is turned
 * off. The file's path comes from fileURLToPath, not the URL's percent-encoded `pathname`: a
 * program under a folder named with a space or a non-ASCII letter loads it too.
 */
export function loadAddon<T>(name: string, env: Readonly<Record<string, string | undefined>>): T | undefined {
  if (env.WHAT_TO_BACKUP_NATIVE === '0') return undefined;
  try {
    return createRequire(import.meta.url)(fileURLToPath(new URL(name, RELEASE))) as T;
  } catch {
    return undefined;
  }
}
