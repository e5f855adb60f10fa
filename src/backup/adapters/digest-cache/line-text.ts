/**
 * A digest cache line's text from numbers: the key's five fields in decimal (size, mtime and
 * ctime signed, as a stat's key spells them) and the digest's bytes in hex, written straight into
 * a byte buffer, with no string per line (a first scan of a whole system writes 108,000); and a
 * digest's bytes from its hex.
 * @module
 */
import { ALGOS, WORDS } from './cache-key.js';

const TWO_32 = 4294967296;
/** 2^32 and 2^48 modulo 10^8: the low eight digits of a 64-bit value, summed exactly from 16-bit pieces. */
const TWO_32_MOD = 94967296;
const TWO_48_MOD = 76710656;
/** size, mtime and ctime are signed: their words are printed as two's complement. */
const SIGNED_FIELDS = 0b11100;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** The two digits of 0 to 99. */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).join(''), 'latin1');
/** `:md5`, `:sha1`... by algorithm code. */
const ALGO_SUFFIXES = ALGOS.map((algo) => Buffer.from(`:${algo ?? ''}`, 'latin1'));
/** The longest line: five 20-digit fields with a sign, their colons, `:sha512 `, 128 hex digits, a newline. */
export const MAX_LINE = 5 * 21 + 4 + 8 + 128 + 1;

/** Writes `n` (below 100) as two digits at `at`. */
function twoDigits(out: Uint8Array, at: number, n: number): void {
  out[at] = PAIRS[2 * n]!;
  out[at + 1] = PAIRS[2 * n + 1]!;
}

/** Writes `n` (below 10^8) as exactly eight digits at `at`. */
function eightDigits(out: Uint8Array, at: number, value: number): void {
  const n = value | 0;
  const high = (n / 10000) | 0;
  const low = n - high * 10000;
  twoDigits(out, at, (high / 100) | 0);
  twoDigits(out, at + 2, high % 100);
  twoDigits(out, at + 4, (low / 100) | 0);
  twoDigits(out, at + 6, low % 100);
}

/** Writes `n` (below 10^8) without leading zeros at `at`; where it ends. */
function digitsOf(out: Uint8Array, at: number, value: number): number {
  let n = value | 0;
  const end = at + (n < 1e4 ? (n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : 4) : n < 1e6 ? (n < 1e5 ? 5 : 6) : n < 1e7 ? 7 : 8);
  let i = end;
  for (; n >= 100; i -= 2) {
    const quotient = (n / 100) | 0;
    twoDigits(out, i - 2, n - quotient * 100);
    n = quotient;
  }
  if (n >= 10) twoDigits(out, i - 2, n);
  else out[i - 1] = 48 + n;
  return end;
}

/** Writes the 64-bit value `hi`·2^32 + `lo` in decimal at `at` (negative when `signed` and the top bit is set); where it ends. */
export function writeDecimal(out: Uint8Array, at: number, lo: number, hi: number, signed: boolean): number {
  if (signed && hi >= TWO_32 / 2) {
    out[at++] = 45; // '-', then the magnitude: the two's complement
    hi = TWO_32 - hi - (lo === 0 ? 0 : 1); // hi was at least 2^31: no wrap
    lo = lo === 0 ? 0 : TWO_32 - lo;
  }
  // Three parts below 10^8: the low one exactly from 16-bit pieces (every product below 2^53); the
  // rest, a whole number below 2^38, from a double whose rounding error is far below 1/2.
  // (No %: on doubles it is a slow library call; each quotient here is far from rounding across a whole number.)
  const sum = (hi >>> 16) * TWO_48_MOD + (hi & 0xffff) * TWO_32_MOD + lo;
  const low = sum - Math.floor(sum / 1e8) * 1e8;
  const rest = Math.round((hi * TWO_32 + lo - low) / 1e8);
  const top = Math.floor(rest / 1e8);
  const middle = rest - top * 1e8;
  if (top > 0) {
    at = digitsOf(out, at, top);
    eightDigits(out, at, middle);
    at += 8;
  } else if (middle > 0) at = digitsOf(out, at, middle);
  else return digitsOf(out, at, low);
  eightDigits(out, at, low);
  return at + 8;
}

/**
 * Writes the line `dev:ino:size:mtime:ctime:algo hex\n` of the key words at `keys[wordsAt..]`,
 * algorithm code `algo` and digest bytes `digest[digestAt..]` into `out` at `at` (at least
 * `MAX_LINE` bytes free); where it ends.
 */
export function writeLine(out: Uint8Array, at: number, keys: Uint32Array, wordsAt: number, algo: number, digest: Uint8Array, digestAt: number, digestLength: number): number {
  for (let f = 0; f < WORDS / 2; f++) {
    if (f > 0) out[at++] = 58; // ':'
    at = writeDecimal(out, at, keys[wordsAt + 2 * f]!, keys[wordsAt + 2 * f + 1]!, ((SIGNED_FIELDS >> f) & 1) === 1);
  }
  const suffix = ALGO_SUFFIXES[algo]!;
  for (let i = 0; i < suffix.length; i++) out[at++] = suffix[i]!; // a loop beats set() for a few bytes
  out[at++] = 32; // ' '
  for (let i = digestAt, end = digestAt + digestLength; i < end; i++) {
    out[at++] = HEX_DIGITS[digest[i]! >> 4]!;
    out[at++] = HEX_DIGITS[digest[i]! & 15]!;
  }
  out[at++] = 10; // '\n'
  return at;
}

/** Decodes lower-case hex `text` into `out`; false when it is anything else (such a digest is not kept). */
export function decodeHex(text: string, out: Uint8Array): boolean {
  for (let i = 0, j = 0; i < text.length; i += 2, j++) {
    const high = hexDigit(text.charCodeAt(i));
    const low = hexDigit(text.charCodeAt(i + 1));
    if (high < 0 || low < 0) return false;
    out[j] = (high << 4) | low;
  }
  return true;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  return c >= 97 && c <= 102 ? c - 87 : -1; // a-f
}
