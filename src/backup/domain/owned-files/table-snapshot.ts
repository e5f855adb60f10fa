/**
 * An owned-file table as bytes, and back: its typed arrays and byte stores laid end to end, so a
 * table read back is views onto the bytes it was read into, with no parse. What it is not sure of
 * it refuses: `encodeTable` a table with text that is not a byte string, `decodeTable` bytes whose
 * lengths disagree or whose rows point outside what they hold. Integrity against a damaged file (a
 * checksum) is the caller's: these bytes are typed arrays in this machine's byte order.
 * @module
 */
import type { OddFields, TableParts } from './adopted-parts.js';
import type { ColumnArrays } from './columns.js';
import { WIDE } from './columns.js';
import { NO_FOLDER, OwnedFileTable } from './owned-file-table.js';
import { ALGOS, STATES } from './record-bits.js';

const MAGIC = 0x3154424c; // 'LBT1' read as a little-endian word
/** Header words: magic, rows, names used, digests used, folders, texts, wide mask, pool bytes, odd bytes, 3 spare. */
const HEAD = 12;
const U32_COLUMNS = ['folder', 'nameAt', 'nameLength', 'digestAt', 'mode', 'verify', 'pkg', 'user', 'group'] as const;
const WIDE_TEXT = /[^\x00-\xff]/;
const ODD_KEYS = ['path', 'digest', 'size', 'mtime', 'mode', 'verifyFlags', 'linkTarget'] as const;
type OddKey = (typeof ODD_KEYS)[number];
const STRINGS: ReadonlySet<OddKey> = new Set(['path', 'digest', 'linkTarget']);
const BIGINTS: ReadonlySet<OddKey> = new Set(['size', 'mtime']);

const pad = (n: number) => (8 - (n % 8)) % 8;

/** The odd fields as bytes: per row its number, a mask of the fields present, then each (text with its length, a double). */
function encodeOdd(odd: ReadonlyMap<number, OddFields>): Buffer | undefined {
  const pieces: Buffer[] = [];
  for (const [row, fields] of odd) {
    const keys = Object.keys(fields);
    if (keys.some((k) => !ODD_KEYS.includes(k as OddKey))) return undefined;
    const head = Buffer.alloc(5);
    head.writeUInt32LE(row, 0);
    pieces.push(head);
    ODD_KEYS.forEach((key, bit) => {
      const value = fields[key];
      if (value === undefined) return;
      head[4]! |= 1 << bit;
      if (STRINGS.has(key) || BIGINTS.has(key)) {
        const text = String(value);
        const length = Buffer.alloc(4);
        length.writeUInt32LE(text.length, 0);
        pieces.push(length, Buffer.from(text, 'latin1'));
      } else {
        const number = Buffer.alloc(8);
        number.writeDoubleLE(value as number, 0);
        pieces.push(number);
      }
    });
    if (keys.some((k) => STRINGS.has(k as OddKey) && WIDE_TEXT.test(fields[k as OddKey] as string))) return undefined;
  }
  return Buffer.concat(pieces);
}

/** The odd fields `encodeOdd` wrote; undefined when they do not read back whole. */
function decodeOdd(b: Buffer, rows: number): Map<number, OddFields> | undefined {
  const odd = new Map<number, OddFields>();
  let at = 0;
  try {
    while (at < b.length) {
      const row = b.readUInt32LE(at);
      const mask = b.readUInt8(at + 4);
      at += 5;
      if (row >= rows || mask === 0 || mask >> ODD_KEYS.length || odd.has(row)) return undefined;
      const fields: Record<string, unknown> = {};
      ODD_KEYS.forEach((key, bit) => {
        if (!((mask >> bit) & 1)) return;
        if (STRINGS.has(key) || BIGINTS.has(key)) {
          const length = b.readUInt32LE(at);
          if (at + 4 + length > b.length) throw new RangeError('odd text past the end');
          const text = b.toString('latin1', at + 4, at + 4 + length);
          at += 4 + length;
          fields[key] = BIGINTS.has(key) ? BigInt(text) : text;
        } else {
          fields[key] = b.readDoubleLE(at);
          at += 8;
        }
      });
      odd.set(row, fields as OddFields);
    }
  } catch {
    return undefined; // a length or number past the end, a size that is not an integer
  }
  return odd;
}

/** The folder and text names as one run of bytes, and each one's length; undefined when one is not a byte string. */
function encodePool(strings: readonly string[]): { pool: Buffer; lengths: Uint32Array } | undefined {
  const joined = strings.join('');
  if (WIDE_TEXT.test(joined)) return undefined;
  return { pool: Buffer.from(joined, 'latin1'), lengths: Uint32Array.from(strings, (s) => s.length) };
}

/**
 * The table's bytes as pieces to write one after another (views onto the table: write them before
 * it changes); undefined when the table holds text that is not a byte string.
 */
export function encodeTable(table: OwnedFileTable): Uint8Array[] | undefined {
  const p: TableParts = table.parts();
  const rows = p.columns.length;
  const folders = p.folders.length;
  const odd = encodeOdd(p.odd);
  const strings = encodePool([...p.folders, ...p.texts]);
  if (!odd || !strings) return undefined;
  const wide = WIDE.filter((w) => p.wide[w].length > 0);
  const head = Uint32Array.of(MAGIC, rows, p.namesUsed, p.digestsUsed, folders, p.texts.length, 0, strings.pool.length, odd.length, 0, 0, 0);
  head[6] = WIDE.reduce((mask, w, bit) => mask | (p.wide[w].length > 0 ? 1 << bit : 0), 0);
  const pieces: Uint8Array[] = [];
  const put = (a: ArrayBufferView, length: number) => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, length);
    pieces.push(bytes);
    if (pad(length)) pieces.push(new Uint8Array(pad(length)));
  };
  put(head, head.byteLength);
  for (const name of U32_COLUMNS) put(p.columns[name], rows * 4);
  put(p.columns.bits, rows * 2);
  put(p.columns.digestLength, rows);
  for (const w of wide) put(p.wide[w], rows * 8);
  put(p.folderHashes, folders * 4);
  put(strings.lengths, strings.lengths.byteLength);
  put(strings.pool, strings.pool.length);
  put(p.names, p.namesUsed);
  put(p.digests, p.digestsUsed);
  put(odd, odd.length);
  return pieces;
}

/** Reads typed arrays one after another from `bytes`, each a view starting on an 8-byte boundary. */
class Sections {
  at = 0;
  constructor(private readonly bytes: Buffer) {}

  /** The next `count` elements of `type`; throws when they would pass the end. */
  take<T>(type: { new (b: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, count: number): T {
    const length = count * type.BYTES_PER_ELEMENT;
    if (this.at + length > this.bytes.length) throw new RangeError('section past the end');
    const view = new type(this.bytes.buffer, this.bytes.byteOffset + this.at, count);
    this.at += length + pad(length);
    return view;
  }

  /** The next `count` bytes as a Buffer (a view). */
  buffer(count: number): Buffer {
    const view = this.take(Uint8Array, count);
    return Buffer.from(view.buffer, view.byteOffset, count);
  }
}

/** Whether every row points inside what the table holds (folders, names, digests, texts, codes). */
function rowsFit(c: ColumnArrays, h: Uint32Array, odd: ReadonlyMap<number, OddFields>): boolean {
  const [, rows, namesUsed, digestsUsed, folders, texts] = h as unknown as number[];
  for (let i = 0; i < rows!; i++) {
    const folder = c.folder[i]!;
    if (folder === NO_FOLDER ? odd.get(i)?.path === undefined : folder >= folders!) return false;
    if (c.nameAt[i]! + c.nameLength[i]! > namesUsed! || c.digestAt[i]! + c.digestLength[i]! > digestsUsed!) return false;
    if (c.pkg[i]! >= texts! || c.user[i]! >= texts! || c.group[i]! >= texts!) return false;
    const bits = c.bits[i]!;
    if (bits >> 8 >= ALGOS.length || ((bits >> 4) & 15) >= STATES.length) return false;
  }
  return true;
}

/**
 * The table `encodeTable` wrote, as views onto `bytes` (which must start on an 8-byte boundary and
 * be exactly the bytes written); undefined when they are not a whole, consistent table.
 */
export function decodeTable(bytes: Buffer): OwnedFileTable | undefined {
  if (bytes.byteOffset % 8 !== 0 || bytes.length < HEAD * 4) return undefined;
  try {
    const s = new Sections(bytes);
    const h = s.take(Uint32Array, HEAD);
    const [magic, rows, namesUsed, digestsUsed, folderCount, textCount, wideMask, poolBytes, oddBytes] = h as unknown as number[];
    if (magic !== MAGIC || wideMask! >> WIDE.length) return undefined;
    const u32 = Object.fromEntries(U32_COLUMNS.map((name) => [name, s.take(Uint32Array, rows!)]));
    const columns = { length: rows!, ...u32, bits: s.take(Uint16Array, rows!), digestLength: s.take(Uint8Array, rows!) } as ColumnArrays;
    const none = new Float64Array(0);
    const wide = Object.fromEntries(WIDE.map((w, bit) => [w, (wideMask! >> bit) & 1 ? s.take(Float64Array, rows!) : none])) as TableParts['wide'];
    const folderHashes = s.take(Int32Array, folderCount!);
    const lengths = s.take(Uint32Array, folderCount! + textCount!);
    const pool = s.buffer(poolBytes!).toString('latin1');
    const strings: string[] = [];
    let at = 0;
    for (const length of lengths) strings.push(pool.slice(at, (at += length)));
    const names = s.buffer(namesUsed!);
    const digests = s.buffer(digestsUsed!);
    const odd = decodeOdd(s.buffer(oddBytes!), rows!);
    if (at !== pool.length || s.at !== bytes.length || !odd || !rowsFit(columns, h, odd)) return undefined;
    const [folders, texts] = [strings.slice(0, folderCount), strings.slice(folderCount)];
    return OwnedFileTable.adopt({ columns, wide, names, namesUsed: namesUsed!, digests, digestsUsed: digestsUsed!, folders, folderHashes, texts, odd });
  } catch {
    return undefined; // a section past the end, texts that repeat
  }
}
