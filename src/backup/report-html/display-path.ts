/**
 * Byte-string names shown to people: decoded as UTF-8 where the bytes are valid UTF-8; every
 * byte that is not, and every control character, is shown as a `\xNN`-style escape, so a name
 * never breaks a line or hides what is really on disk.
 */

const controlEscapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hexEscape(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: readonly number[], i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  const [length, low, high] =
    lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
    : lead === 0xe0 ? [3, 0xa0, 0xbf] // no overlong forms
    : lead === 0xed ? [3, 0x80, 0x9f] // no UTF-16 surrogates
    : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
    : lead === 0xf0 ? [4, 0x90, 0xbf]
    : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
    : lead === 0xf4 ? [4, 0x80, 0x8f] // nothing past U+10FFFF
    : [0, 0, 0];
  if (length === 0 || i + length > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

function decodeSequence(bytes: readonly number[], i: number, length: number): number {
  if (length === 1) return bytes[i]!;
  let code = bytes[i]! & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) code = (code << 6) | (bytes[i + k]! & 0x3f);
  return code;
}

function showCodePoint(code: number): string {
  const char = String.fromCodePoint(code);
  if (controlEscapes[char]) return controlEscapes[char];
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return code < 0x100 ? hexEscape(code) : `\\u{${code.toString(16)}}`;
  return char;
}

/** A byte string (one character per byte) as readable text. */
export function displayBytes(byteString: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < byteString.length; i++) {
    const code = byteString.charCodeAt(i);
    // Already decoded text (a character above one byte) is shown as it is.
    if (code > 0xff) return Array.from(byteString, (c) => showCodePoint(c.codePointAt(0)!)).join('');
    bytes.push(code);
  }
  let shown = '';
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      shown += hexEscape(bytes[i]!);
      i += 1;
    } else {
      shown += showCodePoint(decodeSequence(bytes, i, length));
      i += length;
    }
  }
  return shown;
}
