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

/** A well-formed line: its key from `lineAt` to `keyEnd`, a space, its digest to `hexEnd`, algorithm code `algo`. */
export type CacheLine = (lineAt: number, keyEnd: number, hexEnd: number, algo: number) => void;

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
  add(start, keyEnd, i, algo);
  return i;
}

/**
 * Reads a cache file's bytes line by line into `add`; any malformed line makes the whole file
 * corrupt (never half-trusted: the caller then drops what was added). Undefined when the file was used.
 */
export function readCacheLines(b: Buffer, owner: CacheOwner, add: CacheLine): CacheRejection {
  if (b.length === 0 || b[b.length - 1] !== NEWLINE) return 'corrupt';
  let end = b.indexOf(NEWLINE);
  let header: { format?: unknown; version?: unknown; machine?: unknown; root?: unknown } | null;
  try {
    header = JSON.parse(b.toString('latin1', 0, end)) as typeof header;
  } catch {
    return 'corrupt';
  }
  if (header?.format !== FORMAT || header.version !== VERSION) return 'corrupt';
  if (header.machine !== owner.machine || header.root !== owner.root) return 'foreign';
  for (let start = end + 1; start < b.length; start = end + 1) {
    end = readLine(b, start, add);
    if (end < 0) return 'corrupt';
  }
  return undefined;
}

/** How many lines `b` holds, to size a table for them. */
export function lineCount(b: Buffer): number {
  let n = 0;
  for (let at = b.indexOf(NEWLINE); at >= 0; at = b.indexOf(NEWLINE, at + 1)) n++;
  return n;
}
