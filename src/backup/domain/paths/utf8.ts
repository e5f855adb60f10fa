/**
 * UTF-8 over byte strings (one character per byte): which bytes form well-formed sequences
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), and decoding them.
 * @module
 */

/** Length (2..4) of the well-formed multi-byte sequence starting at `at`, or 0 if there is none. */
export function utf8SequenceLength(bytes: string, at: number): number {
  const lead = bytes.charCodeAt(at);
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0; // no overlong forms
    if (lead === 0xed) high = 0x9f; // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f; // nothing above U+10FFFF
  } else return 0;
  if (at + length > bytes.length) return 0;
  for (let i = 1; i < length; i += 1) {
    const byte = bytes.charCodeAt(at + i);
    if (byte < (i === 1 ? low : 0x80) || byte > (i === 1 ? high : 0xbf)) return 0;
  }
  return length;
}

/** The code point of the well-formed sequence of `length` bytes at `at`. */
export function decodeUtf8Sequence(bytes: string, at: number, length: number): number {
  const lead = bytes.charCodeAt(at);
  let codePoint = length === 2 ? lead & 0x1f : length === 3 ? lead & 0x0f : lead & 0x07;
  for (let i = 1; i < length; i += 1) codePoint = (codePoint << 6) | (bytes.charCodeAt(at + i) & 0x3f);
  return codePoint;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The text the bytes spell when they are all well-formed UTF-8; undefined otherwise. */
export function decodeUtf8(bytes: string): string | undefined {
  // ASCII is its own decoding; appending a character at a time would build a rope of one node
  // per byte, which a 20 kB path (10,000 folders deep) turns into megabytes.
  if (ASCII.test(bytes)) return bytes;
  let text = '';
  for (let at = 0; at < bytes.length; ) {
    const byte = bytes.charCodeAt(at);
    if (byte < 0x80) {
      text += bytes[at];
      at += 1;
      continue;
    }
    const length = utf8SequenceLength(bytes, at);
    if (length === 0) return undefined;
    text += String.fromCodePoint(decodeUtf8Sequence(bytes, at, length));
    at += length;
  }
  return text;
}

/** The UTF-8 bytes of `text`, as a byte string. */
export function encodeUtf8(text: string): string {
  let bytes = '';
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp < 0x80) bytes += char;
    else if (cp < 0x800) bytes += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else {
      bytes += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
  }
  return bytes;
}
