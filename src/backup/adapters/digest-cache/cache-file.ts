/**
 * The digest cache file: a header, the owner, then the entries as columns, every key's ten 32-bit
 * words, every algorithm code as a byte, every digest's bytes end to end, and last the SHA-256 of
 * all bytes before it. Read with one read per column straight into the table's typed arrays
 * (measured on 72,000 entries: reading the text format of version 1 took 0.2-0.3 s, this ~30 ms),
 * or, by a scan, whole on libuv's pool into one buffer whose columns the table takes as they lie.
 * Any file that is not exactly this, truncated or with a byte changed, is corrupt and ignored
 * whole: a cache may make a scan slower, never wrong.
 * @module
 */
import { fstatSync, openSync, closeSync, promises } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { readFully, readFullyLater } from '#backup/adapters/node-fs/read-fully.js';
import { mapFile } from '#backup/adapters/native-walker/map-file.js';
import { nodeCrypto, sha256Of } from '#backup/adapters/native-walker/sha256-of.js';
import { WORDS } from './cache-key.js';
import { CHECKSUM_BYTES, ColumnWriter, type CacheSource } from './column-writer.js';
import { DigestTable } from './digest-table.js';

/** No bytes: the second part of a SHA-256 of one array. */
const NOTHING = new Uint8Array(0);

/** The file's first eight bytes. */
const MAGIC = Buffer.from('WTBDIGS\n', 'latin1');
/**
 * The cache format version this reader and writer speak (the text format was 1). Version 2 had
 * the same layout, but kept digests of files changed in the clock tick they were read in (see
 * digest-cache.ts's `SETTLE_MS`), which could stand for content they never saw: not trusted.
 */
export const VERSION = 3;
/** The version before, read whole (to tell it from a damaged file) and then not used. */
const OUTDATED = 2;
/** Written as a 32-bit word in the machine's byte order: a file written in another reads as corrupt. */
const BYTE_ORDER = 0x01020304;
/** The header: the magic, then six 32-bit words (version, byte order, entries, digest bytes, owner bytes, 0). */
const HEADER_WORDS = 8;
const KEY_BYTES = WORDS * 4;

/** Whose files a cache describes: a cache made for another machine or root is never trusted. */
export interface CacheOwner {
  /** /etc/machine-id (or the host name) of the machine that scanned. */
  readonly machine: string;
  /** The scanned root, as a real path. */
  readonly root: string;
}

/** Why a cache file was not used, for the report (`outdated`: written by an older what-to-backup, see `VERSION`); undefined when it was. */
export type CacheRejection = 'absent' | 'corrupt' | 'foreign' | 'outdated' | undefined;

/** A cache file as read: its entries, and why it was not used. */
export interface LoadedCache {
  /** The entries; empty when the file was not used. */
  readonly table: DigestTable;
  /** Why the file was not used; undefined when it was. */
  readonly rejected: CacheRejection;
}

/** The header's words: the magic's two, then version, byte order, entries, digest bytes, owner bytes and a zero. */
function headerWords(count: number, digestBytes: number, ownerBytes: number): Uint32Array {
  const words = new Uint32Array(HEADER_WORDS);
  MAGIC.copy(Buffer.from(words.buffer));
  words.set([VERSION, BYTE_ORDER, count, digestBytes, ownerBytes, 0], 2);
  return words;
}

/** The bytes a file of these counts has, checksum included. */
function fileBytes(count: number, digestBytes: number, ownerBytes: number): number {
  return HEADER_WORDS * 4 + ownerBytes + count * (KEY_BYTES + 1) + digestBytes + CHECKSUM_BYTES;
}

/** The owner a cache file names in `text`; undefined when it is not one. */
function ownerOf(text: string): CacheOwner | undefined {
  try {
    const owner = JSON.parse(text) as Partial<CacheOwner> | null;
    return typeof owner?.machine === 'string' && typeof owner.root === 'string' ? { machine: owner.machine, root: owner.root } : undefined;
  } catch {
    return undefined;
  }
}

/** A header's counts. */
interface Header {
  readonly version: number;
  readonly count: number;
  readonly digestBytes: number;
  readonly ownerBytes: number;
}

/** The counts of the header `header` (its words; `bytes`, the same memory), when it is this format's and names a file of `size` bytes. */
function headerOf(header: Uint32Array, bytes: Buffer, size: number): Header | undefined {
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const [version, order, count, digestBytes, ownerBytes, zero] = header.subarray(2);
  if ((version !== VERSION && version !== OUTDATED) || order !== BYTE_ORDER || zero !== 0 || size !== fileBytes(count!, digestBytes!, ownerBytes!)) return undefined;
  return { version: version!, count: count!, digestBytes: digestBytes!, ownerBytes: ownerBytes! };
}

/** What a whole, checked file of `version` naming the owner `ownerText` holding `table` gives. */
function judged(version: number, ownerText: string, owner: CacheOwner, table: DigestTable): LoadedCache {
  const named = ownerOf(ownerText);
  if (named === undefined) return { table: new DigestTable(), rejected: 'corrupt' };
  if (named.machine !== owner.machine || named.root !== owner.root) return { table: new DigestTable(), rejected: 'foreign' };
  if (version === OUTDATED) return { table: new DigestTable(), rejected: 'outdated' };
  return { table, rejected: undefined };
}

/** Reads the open cache file `fd` into a table, checking every byte of it against its checksum. */
function readOpen(fd: number, owner: CacheOwner): LoadedCache {
  const corrupt = { table: new DigestTable(), rejected: 'corrupt' as const };
  const header = new Uint32Array(HEADER_WORDS);
  const headerBytes = Buffer.from(header.buffer);
  const counts = readFully(fd, headerBytes, 0) ? headerOf(header, headerBytes, fstatSync(fd).size) : undefined;
  if (counts === undefined) return corrupt;
  const { version, count, digestBytes, ownerBytes } = counts;
  const hash = nodeCrypto().createHash('sha256').update(headerBytes);
  let position = headerBytes.length;
  const read = (into: NodeJS.ArrayBufferView): boolean => {
    if (!readFully(fd, into, position)) return false;
    position += into.byteLength;
    hash.update(into);
    return true;
  };
  const ownerText = Buffer.allocUnsafe(ownerBytes);
  const checksum = Buffer.allocUnsafe(CHECKSUM_BYTES);
  const table = new DigestTable();
  const adopted = table.adopt(count, digestBytes, (keys, algos, digests) => {
    if (!(read(ownerText) && read(keys) && read(algos) && read(digests))) return false;
    return readFully(fd, checksum, position) && checksum.equals(hash.digest());
  });
  if (!adopted) return corrupt;
  return judged(version, ownerText.toString('utf8'), owner, table);
}

/** The entries of the cache file `file`; an empty table when it is absent, unreadable, corrupt or foreign. */
export function readCacheFile(file: string, owner: CacheOwner): LoadedCache {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { table: new DigestTable(), rejected: 'absent' };
  }
  try {
    return readOpen(fd, owner);
  } catch {
    return { table: new DigestTable(), rejected: 'absent' }; // not readable (a folder, an I/O error)
  } finally {
    closeSync(fd);
  }
}

/**
 * Every check of `readOpen`, on the file read or mapped whole into `bytes` (the header's counts
 * are the ones the checksum covers), its SHA-256 computed on libuv's pool (sha256-of.ts); the
 * table takes the columns as they lie. Undefined when the key words do not start at a multiple of
 * four bytes in memory (a file mapped, written before the owner text was padded): read it instead.
 */
async function checkWhole(bytes: Buffer, owner: CacheOwner): Promise<LoadedCache | undefined> {
  const corrupt = { table: new DigestTable(), rejected: 'corrupt' as const };
  const header = new Uint32Array(HEADER_WORDS);
  const headerBytes = Buffer.from(header.buffer);
  if (bytes.copy(headerBytes, 0, 0, headerBytes.length) !== headerBytes.length) return corrupt;
  const counts = headerOf(header, headerBytes, bytes.length);
  if (counts === undefined) return corrupt;
  const { version, count, digestBytes, ownerBytes } = counts;
  const keysAt = headerBytes.length + ownerBytes;
  if ((bytes.byteOffset + keysAt) % 4 !== 0) return undefined;
  const summed = bytes.length - CHECKSUM_BYTES;
  const checksum = await sha256Of(bytes.subarray(0, summed), NOTHING);
  if (!checksum.equals(bytes.subarray(summed))) return corrupt;
  const algosAt = keysAt + count * KEY_BYTES;
  const table = new DigestTable();
  const keys = new Uint32Array(bytes.buffer, bytes.byteOffset + keysAt, count * WORDS);
  if (!table.adoptColumns(count, digestBytes, keys, bytes.subarray(algosAt, algosAt + count), bytes.subarray(algosAt + count, summed))) return corrupt;
  return judged(version, bytes.toString('utf8', headerBytes.length, keysAt), owner, table);
}

/**
 * `readOpen` on libuv's pool: the header, then the whole file in one read into one buffer, its key
 * words placed at a multiple of four bytes (`checkWhole`).
 */
async function readOpenAhead(file: FileHandle, owner: CacheOwner): Promise<LoadedCache> {
  const corrupt = { table: new DigestTable(), rejected: 'corrupt' as const };
  const header = new Uint32Array(HEADER_WORDS);
  const headerBytes = Buffer.from(header.buffer);
  const [{ size }, whole] = await Promise.all([file.stat(), readFullyLater(file, headerBytes, 0)]);
  const counts = whole ? headerOf(header, headerBytes, size) : undefined;
  if (counts === undefined) return corrupt;
  const pad = (4 - (counts.ownerBytes % 4)) % 4; // the key words start after the header's 32 bytes and the owner's
  const bytes = Buffer.from(new ArrayBuffer(pad + size), pad, size);
  if (!(await readFullyLater(file, bytes, 0))) return corrupt;
  return (await checkWhole(bytes, owner)) ?? corrupt;
}

/**
 * `readCacheFile` read and checked on libuv's pool, the main thread free meanwhile (measured on
 * 72,000 entries, perf per thread: the main thread's part of loading the cache ~12 ms before,
 * reading, page faults, SHA-256 and a collection; ~4 ms with WebCrypto, which copied the bytes on
 * this thread before hashing them on the pool; the addon hashes them where they lie).
 */
export async function readCacheFileAhead(file: string, owner: CacheOwner): Promise<LoadedCache> {
  const mapped = mapFile(file); // the pages as they lie in the page cache (map-file.c)
  const taken = mapped && (await checkWhole(mapped, owner));
  if (taken) return taken;
  let handle: FileHandle;
  try {
    handle = await promises.open(file, 'r'); // node:fs/promises loaded only here, when the file cannot be mapped
  } catch {
    return { table: new DigestTable(), rejected: 'absent' };
  }
  try {
    return await readOpenAhead(handle, owner);
  } catch {
    return { table: new DigestTable(), rejected: 'absent' }; // not readable (a folder, an I/O error)
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Writes a cache file of `owner` holding the entries of `sources` to `fd`, a chunk at a time. */
export function writeCacheFile(fd: number, owner: CacheOwner, sources: readonly CacheSource[]): void {
  const json = Buffer.from(JSON.stringify({ machine: owner.machine, root: owner.root }), 'utf8');
  // Spaces after the JSON put the key words at a multiple of four bytes: a mapped file's columns are then taken as they lie.
  const ownerText = Buffer.concat([json, Buffer.from(' '.repeat((4 - (json.length % 4)) % 4))]);
  let count = 0;
  let digestBytes = 0;
  for (const source of sources) (count += source.count), (digestBytes += source.digestBytes);
  const out = new ColumnWriter(fd);
  const header = headerWords(count, digestBytes, ownerText.length);
  out.put(new Uint8Array(header.buffer), 0, header.byteLength);
  out.put(ownerText, 0, ownerText.length);
  for (const column of ['keys', 'algos', 'digests'] as const) for (const source of sources) source.write(column, out.put);
  // A source that wrote other than it announced would make a file its reader rejects: fail the save instead.
  if (out.end() + CHECKSUM_BYTES !== fileBytes(count, digestBytes, ownerText.length)) throw new Error('the digest cache columns did not add up');
}
