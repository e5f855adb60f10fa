/**
 * A file mapped into memory by the addon (map-file.c), for the caches read whole at every rescan.
 * @module
 */
import { loadNativeWalker, type NativeWalker } from './native-walker.js';

/**
 * The whole regular file at `path`, mapped rather than read (map-file.c says why); undefined
 * without the addon or when it cannot be mapped (absent, empty, not a file): the caller then reads
 * it as it would have, and meets the same answer.
 */
export function mapFile(path: string, native: NativeWalker | undefined = loadNativeWalker(process.env)): Buffer | undefined {
  if (native?.mapFile === undefined || path.includes('\0')) return undefined;
  const mapped = native.mapFile(Buffer.from(`${path}\0`));
  return typeof mapped === 'number' ? undefined : mapped;
}
