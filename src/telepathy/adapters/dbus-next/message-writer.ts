/**
 * The byte writer under fast-marshal.ts, and how it declines what it does not expect.
 * @module
 */

/** Thrown where the fast marshaller declines a value: dbus-next's own way then decides. */
export class Unsupported extends Error {}

/** Decline: throws {@link Unsupported}. */
export const fail = (): never => {
  throw new Unsupported();
};

/**
 * One growing buffer; offsets are the message's own, so alignment is D-Bus alignment. Small
 * writes stay in JavaScript (byte stores, short ASCII texts) rather than calling into Node's C++
 * (`fill`, `write`): marshalling was most of the daemon's work per echoed message.
 */
export class MessageWriter {
  /** The bytes written so far are `buffer[0, length)`; the buffer is replaced as it grows. */
  buffer = Buffer.allocUnsafe(1024);
  /** How many bytes are written. */
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** Pad with zeros up to a multiple of `n`. */
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    if (pad === 0) return;
    this.reserve(pad);
    for (let i = 0; i < pad; i++) this.buffer[this.length++] = 0;
  }

  /** Align, make room, and return where `size` bytes go. */
  slot(size: number): number {
    this.align(size);
    this.reserve(size);
    const at = this.length;
    this.length += size;
    return at;
  }

  /** A byte. */
  u8(v: number): void {
    this.reserve(1);
    this.buffer[this.length++] = v;
  }

  /** A uint32, aligned. */
  u32(v: number): void {
    const at = this.slot(4);
    this.buffer.writeUInt32LE(v, at);
  }

  /** A string (`s`, `o`: 4-byte length) or signature (`g`: 1-byte length), NUL-terminated. */
  text(v: unknown, lengthSize: 1 | 4): void {
    if (typeof v !== 'string') return fail();
    // Measured: a JavaScript loop beats Buffer#write below ~16 characters, and loses above.
    if (v.length < 16 && this.ascii(v, lengthSize)) return;
    if (v.includes('\0')) fail();
    const lengthAt = lengthSize === 1 ? this.slot(1) : this.slot(4);
    this.reserve(v.length * 3 + 1); // UTF-8 takes at most 3 bytes per UTF-16 unit
    const bytes = this.buffer.write(v, this.length, 'utf8');
    if (lengthSize === 1) this.buffer[lengthAt] = bytes > 0xff ? fail() : bytes;
    else this.buffer.writeUInt32LE(bytes, lengthAt);
    this.buffer[this.length + bytes] = 0;
    this.length += bytes + 1;
  }

  /** A short text that is all ASCII, byte by byte (no NUL); false (nothing written) otherwise. */
  private ascii(v: string, lengthSize: 1 | 4): boolean {
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c === 0 || c > 0x7f) return false;
    }
    if (lengthSize === 1) this.u8(v.length);
    else this.u32(v.length);
    this.reserve(v.length + 1);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < v.length; i++) buffer[at++] = v.charCodeAt(i);
    buffer[at++] = 0;
    this.length = at;
    return true;
  }
}
