/** The owned-file table's numeric columns: one typed array per field, grown by doubling. */

type Column = Uint32Array | Uint16Array | Uint8Array | Float64Array;

function resized<T extends Column>(column: T, length: number): T {
  const next = new (column.constructor as new (n: number) => T)(length);
  next.set(column.subarray(0, Math.min(length, column.length)));
  return next;
}

/** The columns of doubles, kept only when used. */
export type WideColumn = 'size' | 'mtime' | 'rdev';
/** The wide columns, in the order a snapshot keeps them. */
export const WIDE: readonly WideColumn[] = ['size', 'mtime', 'rdev'];
const NONE = new Float64Array(0);

/** Columns made elsewhere (a native loader), every array `length` rows long; see `Columns`. */
export interface ColumnArrays {
  /** Rows. */
  readonly length: number;
  /** See `Columns`. */
  readonly folder: Uint32Array;
  /** See `Columns`. */
  readonly nameAt: Uint32Array;
  /** See `Columns`. */
  readonly nameLength: Uint32Array;
  /** See `Columns`. */
  readonly digestAt: Uint32Array;
  /** See `Columns`. */
  readonly digestLength: Uint8Array;
  /** See `Columns`. */
  readonly mode: Uint32Array;
  /** See `Columns`. */
  readonly verify: Uint32Array;
  /** See `Columns`. */
  readonly bits: Uint16Array;
  /** See `Columns`. */
  readonly pkg: Uint32Array;
  /** See `Columns`. */
  readonly user: Uint32Array;
  /** See `Columns`. */
  readonly group: Uint32Array;
}

/** One row per record; `grow()` makes room for the next and returns its index. */
export class Columns {
  /** Rows in use. */
  length = 0;
  private capacity = 1024;
  /** Folder id of the path (see FolderTable). */
  folder = new Uint32Array(this.capacity);
  /** Where the name's bytes start in the name store. */
  nameAt = new Uint32Array(this.capacity);
  /** How many bytes the name has. */
  nameLength = new Uint32Array(this.capacity);
  /** Where the digest's bytes start in the digest store. */
  digestAt = new Uint32Array(this.capacity);
  /** How many bytes the digest has (0: none). */
  digestLength = new Uint8Array(this.capacity);
  /**
   * Expected size, mtime and device number: each kept only once a record has a value other than 0
   * (dpkg records none of them, so its 145,000 records need not carry 24 zero bytes each).
   */
  private readonly wide: Record<WideColumn, Float64Array> = { size: NONE, mtime: NONE, rdev: NONE };
  /** Expected st_mode. */
  mode = new Uint32Array(this.capacity);
  /** rpm's verify flags. */
  verify = new Uint32Array(this.capacity);
  /** File flags (bits 0–3), state (4–7), digest algorithm (8–11). */
  bits = new Uint16Array(this.capacity);
  /** Owning package, user and group, as ids in a string table. */
  pkg = new Uint32Array(this.capacity);
  /** See `pkg`. */
  user = new Uint32Array(this.capacity);
  /** See `pkg`. */
  group = new Uint32Array(this.capacity);

  /** Columns holding `arrays` as they are (no copy); size, mtime and rdev those of `wide` (`length` rows each, or empty: all 0). */
  static of(arrays: ColumnArrays, wide?: Readonly<Record<WideColumn, Float64Array>>): Columns {
    const c = new Columns();
    const { length, folder, nameAt, nameLength, digestAt, digestLength, mode, verify, bits, pkg, user, group } = arrays;
    Object.assign(c, { length, capacity: length, folder, nameAt, nameLength, digestAt, digestLength, mode, verify, bits, pkg, user, group });
    if (wide) for (const column of WIDE) c.wide[column] = wide[column].length ? wide[column] : NONE;
    return c;
  }

  /** The wide columns as they are (not copied): each empty while its every value is 0, else at least `length` rows. */
  get wideColumns(): Readonly<Record<WideColumn, Float64Array>> {
    return this.wide;
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    this.folder = resized(this.folder, capacity);
    this.nameAt = resized(this.nameAt, capacity);
    this.nameLength = resized(this.nameLength, capacity);
    this.digestAt = resized(this.digestAt, capacity);
    this.digestLength = resized(this.digestLength, capacity);
    for (const column of WIDE) if (this.wide[column].length) this.wide[column] = resized(this.wide[column], capacity);
    this.mode = resized(this.mode, capacity);
    this.verify = resized(this.verify, capacity);
    this.bits = resized(this.bits, capacity);
    this.pkg = resized(this.pkg, capacity);
    this.user = resized(this.user, capacity);
    this.group = resized(this.group, capacity);
  }

  /** A wide column by name, each a property read (`wide[column]`, one site for three keys, went megamorphic: 4% of the rpm parse). */
  private column(column: WideColumn): Float64Array {
    const w = this.wide;
    return column === 'size' ? w.size : column === 'mtime' ? w.mtime : w.rdev;
  }

  /** Row `i`'s value in a wide column. */
  number(column: WideColumn, i: number): number {
    return this.column(column)[i] ?? 0;
  }

  /** Sets row `i`'s value in a wide column. */
  setNumber(column: WideColumn, i: number, value: number): void {
    let values = this.column(column);
    if (!values.length) {
      if (value === 0) return;
      values = this.wide[column] = new Float64Array(this.capacity);
    }
    values[i] = value;
  }

  /** Makes room for `rows` more rows at once. */
  reserve(rows: number): void {
    if (this.length + rows > this.capacity) this.resize(Math.max(this.capacity * 2, this.length + rows));
  }

  /** Index of a new row. */
  grow(): number {
    if (this.length === this.capacity) this.resize(this.capacity * 2);
    return this.length++;
  }

  /** Drops the room kept for growth. */
  trim(): void {
    if (this.capacity !== this.length) this.resize(Math.max(this.length, 1));
  }

  /** Bytes held by the columns. */
  get byteLength(): number {
    return this.capacity * (4 * 8 + 1 + 2) + WIDE.reduce((sum, column) => sum + this.wide[column].byteLength, 0);
  }
}
