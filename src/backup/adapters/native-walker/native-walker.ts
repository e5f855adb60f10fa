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
import type { RecordScanner } from '#backup/domain/rpm/rpm-fields.js';

/**
 * The addon's dpkg loader (dpkg-info.c), called by src/backup/adapters/dpkg/native-dpkg-load.ts.
 * `prefixes`: three NUL-terminated paths per package, without `.list` (the candidates in the
 * order tried); `keys`: per package, the first package with the same owner (-1: owned by the
 * text `root`); `oddOffsets`/`oddHashes`: per package, the hashes of its conffiles' paths;
 * `divertedHashes`: of every diverted path; `settings`: see native-dpkg-load.ts; `texts`: each
 * diversion's from, to and by, then each package's name, end to end, their lengths in
 * `textLengths` (-1: a local diversion's by). Answers `[extras]` when a file could not be read,
 * else `[extras, ...columns, names, digests]`, the nine columns a Buffer each (handed over, not copied).
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
  /**
   * Puts every thread of the process under SCHED_BATCH (batch-scheduling.c); how many it moved, or
   * the errno negated (absent from an addon built before it was added).
   */
  batchScheduling?(): number;
  /** A pipe asked to hold `bytes` (wide-pipe.c): its read and write descriptors, or the errno negated (absent from an addon built before it was added). */
  widePipe?(bytes: number): [number, number] | number;
  /** The SHA-256 of `first` then `second` on libuv's thread pool (sha256-later.c), holding them uncopied until it settles (absent from an addon built before it was added). */
  sha256Later?(first: Uint8Array, second: Uint8Array): Promise<Buffer>;
  /** The SHA-256 of `data`, on this thread (sha256-later.c; absent from an addon built before it was added). */
  sha256Now?(data: Uint8Array): Buffer;
  /** Finds a chunk of rpm's bulk query output's records (rpm-spans.c; absent from an addon built before it was added). */
  rpmSpans?: RecordScanner;
  /** The regular file at `path` (NUL-terminated bytes) mapped whole and privately (map-file.c), or the errno negated (absent from an addon built before it was added). */
  mapFile?(path: Buffer): Buffer | number;
  /** What lstat and readlink say of many paths (link-targets.c, which documents the answer; absent from an addon built before it was added). */
  linkTargets?(paths: Buffer): Buffer;
  /** Reads the directory at `path` (NUL-terminated bytes); `prefix` goes before each name in the answer (absent from an addon built before it was added). */
  listDirectory(path: Buffer, privileged?: boolean, prefix?: Buffer): Buffer | number;
  /**
   * Starts reading the tree at `root` (a scanned-system path) ahead on a thread of its own
   * (tree-reader.c), each folder opened at `host` + its path; `mounts`: the mount points, each
   * followed by a NUL. A handle, or the errno (absent from an addon built before it was added).
   */
  readTree?(host: Buffer, root: Buffer, privileged: boolean, oneFileSystem: boolean, mounts: Buffer): TreeHandle | number;
  /** The listing of the folder at `path` as `listDirectory` answers it with the folder's path and a slash as prefix, or undefined when the reader did not read it. */
  treeTake?(tree: TreeHandle, path: Buffer): Buffer | number | undefined;
  /** The walk will not look into `path`. */
  treeSkip?(tree: TreeHandle, path: Buffer): void;
  /** Stops the reader; its handle then takes and skips nothing. */
  treeClose?(tree: TreeHandle): void;
}

/** A tree reader started by `readTree`: an opaque external, only handed back to the addon. */
export interface TreeHandle {
  /** Never read: it keeps any other object from passing for a handle. */
  readonly treeHandle: never;
}

/**
 * The addon's `linkTargets` answer for `count` paths, in order: a symlink's target, undefined for
 * none (or when lstat or readlink failed), null when that path must be asked again one by one (a
 * target too long for the answer, or an answer cut short).
 */
export function parseLinkTargets(answer: Buffer, count: number): (string | undefined | null)[] {
  const targets: (string | undefined | null)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const kind = answer[at++];
    const end = kind === 1 ? answer.indexOf(0, at) : -1;
    if (kind === 1 && end >= 0) {
      targets.push(answer.toString('latin1', at, end));
      at = end + 1;
    } else targets.push(kind === 0 ? undefined : null);
  }
  return targets;
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

/** A u64 field at word `at`: one BigInt from a number when it is below 2^32, as nearly every count and size is. */
function u64(w: Uint32Array, at: number): bigint {
  const high = w[at + 1]!;
  return high === 0 ? BigInt(w[at]!) : (BigInt(high) << 32n) | BigInt(w[at]!);
}

function i64(w: Uint32Array, at: number): bigint {
  const high = w[at + 1]!;
  return high === 0 ? BigInt(w[at]!) : BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(w[at]!));
}

/**
 * One record of the addon's answer (layout in walker.c), read through 32-bit words (Buffer's
 * readUInt32LE is a call with range checks, a visible share of a walk): the listing's entry and
 * its lstat in one object (one allocation per entry, not two), each field read when asked: a walk
 * without a package database looks at four of the eleven, and each bigint is an allocation (a
 * scan of / spent half its time collecting them). It keeps its listing alive.
 */
class RecordEntry implements StatusEntry, FileStat {
  readonly #w: Uint32Array;
  /** The record's first word. */
  readonly #r: number;
  /** The entry's path when the addon made it whole (`prefixed`), else its name. */
  readonly #text: string;
  readonly #prefixed: boolean;

  constructor(w: Uint32Array, r: number, text: string, prefixed: boolean, readonly readable: boolean, readonly type: FileType) {
    this.#w = w;
    this.#r = r;
    this.#text = text;
    this.#prefixed = prefixed;
  }

  /** The name: the end of the path, sliced only when asked (the walk asks for the path). */
  get name(): string {
    return this.#prefixed ? this.#text.slice(this.#text.length - this.#w[this.#r + 1]!) : this.#text;
  }
  get path(): string | undefined {
    return this.#prefixed ? this.#text : undefined;
  }

  /** No error: the lstat worked. */
  get code(): undefined {
    return undefined;
  }
  /** The entry is its own lstat. */
  get stat(): FileStat {
    return this;
  }
  get dev(): bigint {
    return u64(this.#w, this.#r + 4);
  }
  get ino(): bigint {
    return u64(this.#w, this.#r + 6);
  }
  get mode(): bigint {
    return BigInt(this.#w[this.#r + 8]!);
  }
  get nlink(): bigint {
    return u64(this.#w, this.#r + 12);
  }
  get links(): number {
    // Exact below 2^53, far above any link count.
    return this.#w[this.#r + 13]! * 4294967296 + this.#w[this.#r + 12]!;
  }
  get uid(): bigint {
    return BigInt(this.#w[this.#r + 9]!);
  }
  get gid(): bigint {
    return BigInt(this.#w[this.#r + 10]!);
  }
  get rdev(): bigint {
    return u64(this.#w, this.#r + 14);
  }
  get size(): bigint {
    return i64(this.#w, this.#r + 16);
  }
  get mtimeNs(): bigint {
    return i64(this.#w, this.#r + 18) * NS + i64(this.#w, this.#r + 20);
  }
  get ctimeNs(): bigint {
    return i64(this.#w, this.#r + 22) * NS + i64(this.#w, this.#r + 24);
  }

  /** The digest cache's key words: the same ten words as `writeSeen` (measured: the bigints of `statWords` were half of a cache lookup). */
  words(out: Uint32Array): void {
    this.writeSeen(out, 0);
  }

  /** dev, ino, size, mtimeNs and ctimeNs as int64 words, low word first (digest-batch.ts's `SeenFile.writeSeen`), not a bigint each; either array type stores the same bits. */
  writeSeen(words: Int32Array | Uint32Array, at: number): void {
    const w = this.#w;
    const r = this.#r;
    // dev, ino and size: the int64s' words as the record holds them.
    words[at] = w[r + 4]!;
    words[at + 1] = w[r + 5]!;
    words[at + 2] = w[r + 6]!;
    words[at + 3] = w[r + 7]!;
    words[at + 4] = w[r + 16]!;
    words[at + 5] = w[r + 17]!;
    nanoseconds(w, r + 18, words, at + 6);
    nanoseconds(w, r + 22, words, at + 8);
  }
}

/** 2^-16 and 2^-32: multiplying by them scales exactly. */
const TWO_TO_MINUS_16 = 1 / 65536;
const TWO_TO_MINUS_32 = 1 / 4294967296;

/**
 * The int64 `seconds * 10^9 + nanoseconds` (the two i64 from word `at`), modulo 2^64 as a
 * BigInt64Array stores it, into `words[o]` (low word) and `words[o + 1]`: in doubles, each
 * product below 2^53, so exact. Split with `Math.floor` of a power-of-two scaling, not `%`
 * (a double's `%` is a call to fmod: measured ~40 ns a call against ~10, twice per owned file).
 */
function nanoseconds(w: Uint32Array, at: number, words: Int32Array | Uint32Array, o: number): void {
  const lo = w[at]!;
  const a = (lo & 0xffff) * 1e9 + w[at + 2]!; // below 2^47
  const high16 = (lo >>> 16) * 1e9; // times 2^16, below 2^46
  const above = Math.floor(high16 * TWO_TO_MINUS_16); // its part above the low 16 bits
  const t = a + (high16 - above * 65536) * 65536; // non-negative, below 2^48
  const carry = Math.floor(t * TWO_TO_MINUS_32);
  words[o] = (t - carry * 4294967296) | 0;
  words[o + 1] = (above + carry + Math.imul(w[at + 1]! | 0, 1e9) + (w[at + 3]! | 0)) | 0;
}

/**
 * One record of the addon's answer, from word `r`. `names` is the names area as one byte string;
 * with a prefix of `prefixLength` bytes before each name (the folder's path and a slash), the
 * entry's path is decoded from `answer` in one piece and its name is the rest of it.
 */
function entryAt(w: Uint32Array, r: number, names: string, answer: Buffer, namesAt: number, prefixLength: number): StatusEntry {
  const from = w[r]!;
  const prefixed = prefixLength > 0;
  // One flat string: a path joined from the folder's and the name made two, then a copy at first use.
  const text = prefixed ? answer.toString('latin1', namesAt + from - prefixLength, namesAt + from + w[r + 1]!) : names.slice(from, from + w[r + 1]!);
  const errno = w[r + 2]! | 0;
  if (errno !== 0) {
    const code = getSystemErrorName(-errno);
    return prefixed ? { name: text.slice(prefixLength), path: text, stat: undefined, code, readable: false } : { name: text, stat: undefined, code, readable: false };
  }
  // readable: 0 no, 1 yes (asked), 2 yes (known without asking).
  return new RecordEntry(w, r, text, prefixed, w[r + 3]! !== 0, fileTypeOfMode(w[r + 8]!));
}

/** What the addon is given to put before each name of the folder `dir`: its path and a slash. */
export function folderPrefix(dir: string): string {
  return dir === '/' ? '/' : `${dir}/`;
}

/**
 * The entries of the addon's answer; throws an error with the system's `code` when it was an
 * errno. `prefix`: what the addon was given to put before each name, if anything (or a byte
 * string as long).
 */
export function parseListing(answer: Buffer | number, path: string, prefix?: { readonly length: number }): StatusEntry[] {
  if (typeof answer === 'number') {
    throw Object.assign(new Error(`${getSystemErrorName(-answer)}: cannot read directory ${JSON.stringify(path)}`), { code: getSystemErrorName(-answer) });
  }
  // The records are words in the host's byte order, as walker.c wrote them; the Buffer is its own allocation, so aligned (else copied).
  const w = answer.byteOffset % 4 === 0 ? new Uint32Array(answer.buffer, answer.byteOffset, answer.length >>> 2) : new Uint32Array(new Uint8Array(answer).buffer, 0, answer.length >>> 2);
  const count = w[0]!;
  const size = w[1]! & 0x7fffffff;
  const namesAt = 8 + count * size;
  // The top bit: the addon did put the prefix there (one built before it was added would not have).
  const prefixLength = (w[1]! & 0x80000000) !== 0 ? (prefix?.length ?? 0) : 0;
  // Without a prefix, the names decoded in one call, each then a slice of them: one call into C++ per name was a visible share of a walk.
  const names = prefixLength > 0 ? '' : answer.toString('latin1', namesAt);
  const entries: StatusEntry[] = new Array(count);
  const words = size >>> 2;
  for (let i = 0; i < count; i++) entries[i] = entryAt(w, 2 + i * words, names, answer, namesAt, prefixLength);
  return entries;
}
