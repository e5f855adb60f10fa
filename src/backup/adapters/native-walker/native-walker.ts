/**
 * The native walker (src/backup/adapters/native-walker/walker.c, built by node-gyp from source at install): one call reads a
 * directory and lstats every entry relative to its descriptor. Absent when no compiler was there
 * at install (or `WHAT_TO_BACKUP_NATIVE=0`); the caller then uses node:fs.
 * @module
 */
import { getSystemErrorName } from 'node:util';
import type { FileStat, FileType, StatusEntry } from '#backup/domain/ports/file-system.port.js';
import { typeOfMode } from '#backup/adapters/node-fs/type-of-mode.js';
import { loadAddon } from './load-addon.js';
import type { KernelFacts } from '#backup/adapters/access-known/access-known.js';

/**
 * The addon's dpkg loader (dpkg-info.c), called by src/backup/adapters/dpkg/native-dpkg-load.ts.
 * `prefixes`: three NUL-terminated paths per package, without `.list` (the candidates in the
 * order tried); `keys`: per package, the first package with the same owner (-1: owned by the
 * text `root`); `oddOffsets`/`oddHashes`: per package, the hashes of its conffiles' paths;
 * `divertedHashes`: of every diverted path; `settings`: see native-dpkg-load.ts; `texts`: each
 * diversion's from, to and by, then each package's name, end to end, their lengths in
 * `textLengths` (-1: a local diversion's by). Answers `[extras]` when a file could not be read,
 * else `[extras, columns, names, digests]`.
 */
export type LoadDpkgInfo = (
  prefixes: Buffer,
  keys: Int32Array,
  oddOffsets: Int32Array,
  oddHashes: Int32Array,
  divertedHashes: Int32Array,
  settings: Int32Array,
  texts: Buffer,
  textLengths: Int32Array,
) => Buffer[];

/**
 * The addon's finder of the status file's fields (dpkg-status.c), called by
 * src/backup/adapters/dpkg/native-dpkg-status.ts, which documents the answer.
 */
export type DpkgStatusFields = (status: Buffer) => Buffer[];

/**
 * The addon: a Buffer of records, or the errno when the directory cannot be read, now or later.
 * `privileged`: access(2) provably lets this process read anything where the mode bits are the
 * only check (access-known.ts); the addon then asks it only elsewhere, and for devices.
 */
export interface NativeWalker extends KernelFacts {
  /** Loads the dpkg info files (absent from an addon built before it was added). */
  loadDpkgInfo?: LoadDpkgInfo;
  /** Finds the dpkg status file's fields (absent from an addon built before it was added). */
  dpkgStatusFields?: DpkgStatusFields;
  /** Reads the directory at `path` (NUL-terminated bytes). */
  listDirectory(path: Buffer, privileged?: boolean): Buffer | number;
  /** The same, on libuv's thread pool; the promise never rejects. */
  listDirectoryLater(path: Buffer, privileged?: boolean): Promise<Buffer | number>;
}

/** The addon, or undefined when it was not built (or is turned off). */
export function loadNativeWalker(env: Readonly<Record<string, string | undefined>> = {}): NativeWalker | undefined {
  return loadAddon<NativeWalker>('walker.node', env);
}

const NS = 1_000_000_000n;

/** An unknown type reads as a file, as the node:fs adapter's lstat has it. */
function fileTypeOfMode(mode: number): FileType {
  const type = typeOfMode(mode);
  return type === 'unknown' ? 'file' : type;
}

/** A u64 field: one BigInt from a number when it is below 2^32, as nearly every count and size is. */
function u64(b: Buffer, at: number): bigint {
  return b.readUInt32LE(at + 4) === 0 ? BigInt(b.readUInt32LE(at)) : b.readBigUInt64LE(at);
}

function i64(b: Buffer, at: number): bigint {
  return b.readUInt32LE(at + 4) === 0 ? BigInt(b.readUInt32LE(at)) : b.readBigInt64LE(at);
}

const TWO_32 = 4294967296;
const BILLION = 1_000_000_000;

/**
 * Writes the time at `b[at..]` (i64 seconds, then i64 nanoseconds) in nanoseconds, modulo 2^64 as
 * the bigint `seconds * 10^9 + nanoseconds` wraps in a 64-bit slot, as two 32-bit words at
 * `out[k..]`; false (writing nothing) when the nanoseconds are not below 10^9.
 */
function timeWords(b: Buffer, at: number, out: Uint32Array, k: number): boolean {
  const nsec = b.readUInt32LE(at + 8);
  if (b.readUInt32LE(at + 12) !== 0 || nsec >= BILLION) return false;
  const lo = b.readUInt32LE(at);
  // lo * 10^9 + nsec = high * 2^16 + low, from lo's 16-bit halves: every product stays exact in a double.
  const low = (lo & 0xffff) * BILLION + nsec;
  const high = (lo >>> 16) * BILLION;
  const lowHigh = Math.floor(low / TWO_32);
  const highHigh = Math.floor(high / 65536);
  const sum = low - lowHigh * TWO_32 + (high - highHigh * 65536) * 65536;
  const carry = sum >= TWO_32 ? 1 : 0;
  out[k] = sum - carry * TWO_32;
  // The high word wraps modulo 2^32 as it is stored; the seconds' high word times 10^9 only counts modulo 2^32 there.
  out[k + 1] = lowHigh + highHigh + carry + Math.imul(b.readUInt32LE(at + 4), BILLION);
  return true;
}

/** Writes `value` modulo 2^64 as two 32-bit words at `out[k..]`, low word first. */
function bigintWords(value: bigint, out: Uint32Array, k: number): void {
  const wrapped = BigInt.asUintN(64, value);
  out[k] = Number(wrapped & 0xffffffffn);
  out[k + 1] = Number(wrapped >> 32n);
}

/**
 * One record of the addon's Buffer (layout in walker.c): the listing's entry and its lstat in one
 * object (one allocation per entry, not two), each field read when asked: a walk without a package
 * database looks at four of the eleven, and each bigint is an allocation (a scan of / spent half
 * its time collecting them). It keeps its listing's Buffer alive.
 */
class RecordEntry implements StatusEntry, FileStat {
  readonly code = undefined;
  readonly #b: Buffer;
  readonly #r: number;

  constructor(
    b: Buffer,
    r: number,
    readonly name: string,
    readonly readable: boolean,
    readonly type: FileType,
  ) {
    this.#b = b;
    this.#r = r;
  }

  /** The entry is its own lstat. */
  get stat(): FileStat {
    return this;
  }
  get dev(): bigint {
    return u64(this.#b, this.#r + 16);
  }
  get ino(): bigint {
    return u64(this.#b, this.#r + 24);
  }
  get mode(): bigint {
    return BigInt(this.#b.readUInt32LE(this.#r + 32));
  }
  get nlink(): bigint {
    return u64(this.#b, this.#r + 48);
  }
  get uid(): bigint {
    return BigInt(this.#b.readUInt32LE(this.#r + 36));
  }
  get gid(): bigint {
    return BigInt(this.#b.readUInt32LE(this.#r + 40));
  }
  get rdev(): bigint {
    return u64(this.#b, this.#r + 56);
  }
  get size(): bigint {
    return i64(this.#b, this.#r + 64);
  }
  get mtimeNs(): bigint {
    return i64(this.#b, this.#r + 72) * NS + i64(this.#b, this.#r + 80);
  }
  get ctimeNs(): bigint {
    return i64(this.#b, this.#r + 88) * NS + i64(this.#b, this.#r + 96);
  }
  /** The digest cache's key words, from the record's bytes (measured: the bigints of `statWords` were half of a cache lookup). */
  words(out: Uint32Array): void {
    const b = this.#b;
    const r = this.#r;
    out[0] = b.readUInt32LE(r + 16); // dev
    out[1] = b.readUInt32LE(r + 20);
    out[2] = b.readUInt32LE(r + 24); // ino
    out[3] = b.readUInt32LE(r + 28);
    out[4] = b.readUInt32LE(r + 64); // size
    out[5] = b.readUInt32LE(r + 68);
    // Nanoseconds a kernel never gives take the bigint's way.
    if (!timeWords(b, r + 72, out, 6)) bigintWords(this.mtimeNs, out, 6);
    if (!timeWords(b, r + 88, out, 8)) bigintWords(this.ctimeNs, out, 8);
  }
}

/** One record of the addon's Buffer, at byte `r`; `names` is the names area as one byte string. */
function entryAt(b: Buffer, r: number, names: string): StatusEntry {
  const from = b.readUInt32LE(r);
  const name = names.slice(from, from + b.readUInt32LE(r + 4));
  const errno = b.readInt32LE(r + 8);
  if (errno !== 0) return { name, stat: undefined, code: getSystemErrorName(-errno), readable: false };
  // readable: 0 no, 1 yes (asked), 2 yes (known without asking).
  return new RecordEntry(b, r, name, b.readUInt32LE(r + 12) !== 0, fileTypeOfMode(b.readUInt32LE(r + 32)));
}

/** The entries of the addon's answer; throws an error with the system's `code` when it was an errno. */
export function parseListing(answer: Buffer | number, path: string): StatusEntry[] {
  if (typeof answer === 'number') {
    throw Object.assign(new Error(`${getSystemErrorName(-answer)}: cannot read directory ${JSON.stringify(path)}`), { code: getSystemErrorName(-answer) });
  }
  const count = answer.readUInt32LE(0);
  const size = answer.readUInt32LE(4);
  // The names decoded in one call, each then a slice of them: one call into C++ per name was a visible share of a walk.
  const names = answer.toString('latin1', 8 + count * size);
  const entries: StatusEntry[] = new Array(count);
  for (let i = 0; i < count; i++) entries[i] = entryAt(answer, 8 + i * size, names);
  return entries;
}
