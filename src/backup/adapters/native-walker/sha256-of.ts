/**
 * The SHA-256 of a file read whole, on libuv's thread pool where the addon can (sha256-later.c):
 * the rpm snapshot and the digest cache are checked that way while the main thread goes on.
 * @module
 */
import { createHash } from 'node:crypto';
import { loadNativeWalker, type NativeWalker } from './native-walker.js';

/**
 * The SHA-256 of `first` then `second`: on libuv's thread pool through the addon, so the caller
 * goes on meanwhile (measured: ~4 ms of the main thread for the 100k-file fixture's 6.7 MB
 * snapshot), else here. WebCrypto's digest would copy the bytes on the calling thread first (~4 ms
 * for 5 MB). Neither array may change until it settles.
 */
export function sha256Of(first: Uint8Array, second: Uint8Array, native: NativeWalker | undefined = loadNativeWalker(process.env)): Promise<Buffer> {
  if (native?.sha256Later) return native.sha256Later(first, second);
  return Promise.resolve(createHash('sha256').update(first).update(second).digest());
}
