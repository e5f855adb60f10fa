/**
 * SHA-256 through the addon where it can (sha256-later.c): of a file read whole, on libuv's thread
 * pool (the rpm snapshot and the digest cache are checked that way while the main thread goes on);
 * of a name or a small file, here. node:crypto is loaded only where the addon cannot: a rescan
 * through it never loads it (6-8 ms of a start on the machine measured).
 * @module
 */
import { createRequire } from 'node:module';
import { loadNativeWalker, type NativeWalker } from './native-walker.js';

let loaded: typeof import('node:crypto') | undefined;

/** node:crypto, loaded at first use. */
export function nodeCrypto(): typeof import('node:crypto') {
  return (loaded ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto'));
}

/**
 * The SHA-256 of `first` then `second`: on libuv's thread pool through the addon, so the caller
 * goes on meanwhile (measured: ~4 ms of the main thread for the 100k-file fixture's 6.7 MB
 * snapshot), else here. WebCrypto's digest would copy the bytes on the calling thread first (~4 ms
 * for 5 MB). Neither array may change until it settles.
 */
export function sha256Of(first: Uint8Array, second: Uint8Array, native: NativeWalker | undefined = loadNativeWalker(process.env)): Promise<Buffer> {
  if (native?.sha256Later) return native.sha256Later(first, second);
  return Promise.resolve(nodeCrypto().createHash('sha256').update(first).update(second).digest());
}

/** The SHA-256 of `data` (text as UTF-8), here: through the addon, else node:crypto. */
export function sha256Now(data: Uint8Array | string, native: NativeWalker | undefined = loadNativeWalker(process.env)): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return native?.sha256Now ? native.sha256Now(bytes) : nodeCrypto().createHash('sha256').update(bytes).digest();
}
