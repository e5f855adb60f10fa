/** The hashing of a scan with a package database, loaded only then: a scan without one hashes nothing. */
import type { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import type { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import type { NativeDigester } from '#backup/adapters/digest-workers/native-digester.js';

/** Hashes in the native addon on libuv's thread pool, else in worker threads (started on first use). */
export type Digester = WorkerDigester | NativeDigester;

/** The native addon's hashing, else worker threads' (when the addon was not built or is turned off). */
export async function startDigester(fs: NodeFileSystem, env: Readonly<Record<string, string | undefined>>): Promise<Digester> {
  const { loadNativeDigest, NativeDigester } = await import('#backup/adapters/digest-workers/native-digester.js');
  const native = loadNativeDigest(env);
  if (native) return new NativeDigester((path) => fs.host(path), native, undefined, (path, into, at) => fs.writeHost(path, into, at));
  return new (await import('#backup/adapters/digest-workers/digest-workers.js')).WorkerDigester((path) => fs.host(path));
}
