/**
 * The digest cache file read as bytes: a JSON header naming its owner, then one
 * `dev:ino:size:mtime:ctime:algo hex` line per digest. Every byte is checked once, and no string
 * is made per line (measured: a regex per line over the file as one string took about 0.2 s for
 * 72,000 lines).
 * @module
 */
import { ALGOS, HEX_LENGTHS } from './cache-key.js';

/** The header's `format`, and its `version`. */
export const FORMAT = 'what-to-backup-digest-cache';
/** The cache format version this reader and writer speak. */
export const VERSION = 1;
const NEWLINE = 10;
const MINUS = 45;
const SPACE = 32;
const COLON = 58;

/** Whose files a cache describes: a cache made for another machine or root is never trusted. */
export interface CacheOwner {
  /** /etc/machine-id (or the host name) of the machine that scanned. */
  readonly machine: string;
  /** The scanned root, as a real path. */
  readonly root: string;
}

/** Why a cache file was not used, for the report; undefined when it was. */
export type CacheRejection = 'absent' | 'corrupt' | 'foreign' | undefined;

/** A well-formed line in `b`: its key from `lineAt` to `keyEnd`, a space, its digest to `hexEnd`, algorithm code `algo`. */
export type CacheLine = (b: Buffer, lineAt: number, keyEnd: number, hexEnd: number, algo: number) => void;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 48 && byte <= 57;
}

/** The code of the digest algorithm named by bytes `[from, to)` (md5, sha1, sha224...); 0 for none. */
function algoAt(b: Buffer, from: number, to: number): number {
  const length = to - from;
  if (length === 3) return b[from] === 109 && b[from + 1] === 100 && b[from + 2] === 53 ? 1 : 0; // md5
  if (b[from] !== 115 || b[from + 1] !== 104 || b[from + 2] !== 97) return 0; // sha
  if (length === 4) return b[from + 3] === 49 ? 2 : 0; // sha1
  if (length !== 6 || !(isDigit(b[from + 3]) && isDigit(b[from + 4]) && isDigit(b[from + 5]))) return 0;
  return Math.max(0, ALGOS.indexOf(`sha${b.toString('latin1', from + 3, to)}` as (typeof ALGOS)[number]));
}

/** Checks the line at `start` and hands it to `add`; where it ends (its newline), or -1 when it is malformed. */
function readLine(b: Buffer, start: number, add: CacheLine): number {
  let i = start;
  for (let field = 0; field < 5; field++) {
    if (b[i] === MINUS) i++; // a file dated before 1970 has a negative mtime or ctime
    const from = i;
    while (isDigit(b[i])) i++;
    if (i === from || b[i] !== COLON) return -1;
    i++;
  }
  const algoFrom = i;
  while (i < b.length && b[i] !== SPACE && b[i] !== NEWLINE) i++;
  const algo = algoAt(b, algoFrom, i);
  if (algo === 0 || b[i] !== SPACE) return -1;
  const keyEnd = i++;
  for (const end = i + HEX_LENGTHS[algo]!; i < end; i++) {
    const c = b[i];
    if (!(isDigit(c) || (c !== undefined && c >= 97 && c <= 102))) return -1; // [0-9a-f]
  }
  if (b[i] !== NEWLINE) return -1;
  add(b, start, keyEnd, i, algo);
  return i;
}

/** Reads up to `length` bytes at `position` into `into` from `offset`, as `readSync` does; how many (0 at the end). */
export type ReadAt = (into: Buffer, offset: number, length: number, position: number) => number;

/** What the header line `b[0..end)` says of the file: undefined when it is this reader's format and `owner`'s. */
function headerRejection(b: Buffer, end: number, owner: CacheOwner): CacheRejection {
  let header: { format?: unknown; version?: unknown; machine?: unknown; root?: unknown } | null;
  try {
    header = JSON.parse(b.toString('latin1', 0, end)) as typeof header;
  } catch {
    return 'corrupt';
  }
  if (header?.format !== FORMAT || header.version !== VERSION) return 'corrupt';
  if (header.machine !== owner.machine || header.root !== owner.root) return 'foreign';
  return undefined;
}

/**
 * Reads a cache file line by line into `add`, `chunk` bytes at a time (a line longer than that
 * grows the buffer): the whole file is never in memory, next to the table it fills. Any
 * malformed line makes the whole file corrupt (never half-trusted: the caller then drops what
 * was added). Undefined when the file was used.
 */
export function readCacheLines(read: ReadAt, owner: CacheOwner, add: CacheLine, chunk = 64 * 1024): CacheRejection {
  let b = Buffer.allocUnsafe(chunk);
  let held = 0; // bytes of a line begun in the last chunk, moved to the buffer's start
  let header = true;
  for (let position = 0; ; ) {
    if (held === b.length) b = Buffer.concat([b, Buffer.allocUnsafe(b.length)]);
    const n = read(b, held, b.length - held, position);
    position += n;
    const window = b.subarray(0, held + n);
    let start = 0;
    for (let end = window.indexOf(NEWLINE); end >= 0; end = window.indexOf(NEWLINE, start)) {
      if (header) {
        const rejected = headerRejection(window, end, owner);
        if (rejected !== undefined) return rejected;
        header = false;
      } else if (readLine(window, start, add) !== end) return 'corrupt';
      start = end + 1;
    }
    held = window.length - start;
    if (n === 0) return held > 0 || header ? 'corrupt' : undefined; // the last line unfinished, or no header
    window.copy(b, 0, start);
  }
}

/** How many lines the file `read` reads holds, to size a table for them. */
export function lineCount(read: ReadAt): number {
  const b = Buffer.allocUnsafe(64 * 1024);
  let lines = 0;
  for (let position = 0, n = read(b, 0, b.length, 0); n > 0; position += n, n = read(b, 0, b.length, position)) {
    const window = b.subarray(0, n);
    for (let at = window.indexOf(NEWLINE); at >= 0; at = window.indexOf(NEWLINE, at + 1)) lines++;
  }
  return lines;
}

/** A `ReadAt` over bytes held in memory. */
export function readBytes(bytes: Uint8Array): ReadAt {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (into, offset, length, position) => (position >= b.length ? 0 : b.copy(into, offset, position, Math.min(b.length, position + length)));
}
