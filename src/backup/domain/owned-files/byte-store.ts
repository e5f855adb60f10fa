/** Bytes appended end to end in one growing buffer, and text kept once by id. */

/** A copy of `text` that shares no memory with the larger string it may have been cut from. */
export function ownCopy(text: string): string {
  // A slice of a large string keeps all of it alive; a latin1 round trip makes a string of its own.
  return text.length < 13 || /[^\x00-\xff]/.test(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

/** FNV-1a over byte values, continued from `hash`. */
export function hashBytes(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 16777619);
}

/** Each byte's value as a hex digit (either case), -1 when it is none. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let d = 0; d < 16; d++) {
  const digit = d.toString(16);
  HEX_VALUE[digit.charCodeAt(0)] = d;
  HEX_VALUE[digit.toUpperCase().charCodeAt(0)] = d;
}

/** The value of the hex digit `byte` (either case), -1 when it is not one. */
export function hexValue(byte: number): number {
  return HEX_VALUE[byte]!;
}

/** The FNV-1a offset basis. */
export const HASH_START = 2166136261 | 0;

/** The same hash as `ByteStore.hash` over the bytes of a byte string, from `from` to its end. */
export function hashText(text: string, from: number): number {
  let h = HASH_START;
  for (let i = from; i < text.length; i++) h = hashBytes(h, text.charCodeAt(i));
  return h;
}

/** FNV-1a over `bytes[start..end)`: `hashText` of the byte string they spell. */
export function hashRange(bytes: Uint8Array, start: number, end: number): number {
  let h = HASH_START;
  for (let i = start; i < end; i++) h = hashBytes(h, bytes[i]!);
  return h;
}

/** Appended byte runs, addressed by start and length. */
export class ByteStore {
  private bytes: Buffer = Buffer.allocUnsafe(64 * 1024);
  private used = 0;

  /** A store holding `bytes` (not copied), its first `used` as if appended and the rest room for more. */
  static of(bytes: Buffer, used = bytes.length): ByteStore {
    const store = new ByteStore();
    store.bytes = bytes;
    store.used = used;
    return store;
  }

  /** The bytes appended so far (and room after them): valid until the next append. */
  get buffer(): Buffer {
    return this.bytes;
  }

  /** Makes room for `bytes` more at once. */
  reserve(bytes: number): void {
    this.room(bytes);
  }

  /** Makes room for `need` more bytes; returns where they will start. */
  private room(need: number): number {
    if (this.used + need > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + need));
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    return this.used;
  }

  /** Appends `text` in `encoding` and returns where it starts. */
  append(text: string, encoding: 'latin1' | 'hex'): number {
    const need = encoding === 'hex' ? text.length / 2 : text.length;
    const at = this.room(need);
    this.used += this.bytes.write(text, at, need, encoding);
    return at;
  }

  /** Appends the bytes of `from` between `start` and `end`; returns where they start. */
  appendBytes(from: Uint8Array, start: number, end: number): number {
    const at = this.room(end - start);
    const b = this.bytes;
    // A loop beats a native copy's call for the short names this mostly holds (measured).
    for (let i = start, j = at; i < end; ) b[j++] = from[i++]!;
    this.used += end - start;
    return at;
  }

  /**
   * Appends the bytes that the hex text (either case) in `from` between `start` and `end` spells;
   * returns where they start, or -1 (appending nothing) when it is not whole bytes of hex.
   */
  appendHex(from: Uint8Array, start: number, end: number): number {
    if ((end - start) & 1) return -1;
    const at = this.room((end - start) >> 1);
    const b = this.bytes;
    for (let i = start, j = at; i < end; i += 2) {
      // -1 for a non-digit makes the pair negative whichever half it is.
      const byte = (HEX_VALUE[from[i]!]! << 4) | HEX_VALUE[from[i + 1]!]!;
      if (byte < 0) return -1;
      b[j++] = byte;
    }
    this.used += (end - start) >> 1;
    return at;
  }

  /** The run at `at` of `length` bytes, as text in `encoding`. */
  text(at: number, length: number, encoding: 'latin1' | 'hex'): string {
    return length === 0 ? '' : this.bytes.toString(encoding, at, at + length);
  }

  /** Whether the run equals the byte string `text` from `from` to its end. */
  equals(at: number, length: number, text: string, from: number): boolean {
    if (text.length - from !== length) return false;
    const b = this.bytes;
    for (let i = 0; i < length; i++) if (b[at + i] !== text.charCodeAt(from + i)) return false;
    return true;
  }

  /** Whether the run is a plain name: not empty, `.` or `..`. */
  plain(at: number, length: number): boolean {
    const b = this.bytes;
    return length > 2 || (length === 1 && b[at] !== 46) || (length === 2 && (b[at] !== 46 || b[at + 1] !== 46));
  }

  /** Whether two runs hold the same bytes. */
  same(at: number, length: number, other: number, otherLength: number): boolean {
    return length === otherLength && this.bytes.compare(this.bytes, other, other + length, at, at + length) === 0;
  }

  /** `hashText` of the run's bytes. */
  hash(at: number, length: number): number {
    let h = HASH_START;
    const b = this.bytes;
    for (let i = 0; i < length; i++) h = hashBytes(h, b[at + i]!);
    return h;
  }

  /** Gives back the room kept for growth. */
  trim(): void {
    // Spare room of a thirty-second or less (a loader's few bytes for rows it fills later) is kept: copying megabytes to drop it costs more.
    if (this.bytes.length - this.used > this.used / 32) this.bytes = Buffer.from(this.bytes.subarray(0, this.used));
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.bytes.length;
  }

  /** How many of `buffer`'s bytes are appended runs (the rest is room). */
  get usedLength(): number {
    return this.used;
  }
}

/** Distinct strings, each kept once (as its own copy) and named by a small id. */
export class StringTable {
  /** The strings, by id. */
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `text`, adding it when new. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      const own = ownCopy(text);
      id = this.values.push(own) - 1;
      this.ids.set(own, id);
    }
    return id;
  }
}

/** Whether `text` is the bytes of `from` between `start` and `end`. */
export function spells(text: string, from: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== from[start + i]) return false;
  return true;
}
