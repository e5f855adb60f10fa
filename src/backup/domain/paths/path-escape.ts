/**
 * How a byte-string path is printed in text output (the text flat list and the tree report), so
 * that a name can never inject a line or a terminal control sequence, and the exact bytes can be
 * recovered:
 *
 * - `\` becomes `\\`; newline, tab and carriage return become `\n`, `\t`, `\r`;
 * - every other control byte (0x00–0x1F, 0x7F), every byte that is not part of well-formed UTF-8,
 *   and the UTF-8 encoding of a C1 control (U+0080–U+009F) become `\xHH` per byte (lower-case hex);
 * - everything else (printable ASCII and well-formed UTF-8) is kept, decoded to its character.
 *
 * The result is a JavaScript (Unicode) string meant to be written as UTF-8. {@link unescapePath}
 * is its exact inverse. Exact bytes are also available with `-0` (NUL list) and the JSON form.
 * @module
 */
import { decodeUtf8Sequence, encodeUtf8, utf8SequenceLength } from './utf8.js';

const named: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

const PRINTABLE = /^[\x20-\x5b\x5d-\x7e]*$/;

/** The printable, line-safe text form of a byte-string path. */
export function escapePath(bytes: string): string {
  if (PRINTABLE.test(bytes)) return bytes; // nothing to escape: no rope of one node per byte
  let text = '';
  for (let at = 0; at < bytes.length; ) {
    const char = bytes[at]!;
    const byte = char.charCodeAt(0);
    if (byte < 0x80) {
      text += named[char] ?? (byte < 0x20 || byte === 0x7f ? hexByte(byte) : char);
      at += 1;
      continue;
    }
    const length = utf8SequenceLength(bytes, at);
    const codePoint = length === 0 ? 0 : decodeUtf8Sequence(bytes, at, length);
    if (length === 0 || codePoint <= 0x9f) {
      const end = length === 0 ? at + 1 : at + length;
      for (; at < end; at += 1) text += hexByte(bytes.charCodeAt(at));
      continue;
    }
    text += String.fromCodePoint(codePoint);
    at += length;
  }
  return text;
}

/** A backslash that starts no escape {@link escapePath} writes; `at` is its offset in the text. */
export class MalformedEscapeError extends SyntaxError {
  /** Names the error in messages and stack traces. */
  override readonly name = 'MalformedEscapeError';

  constructor(
    message: string,
    /** Offset of the backslash in the text. */
    readonly at: number,
  ) {
    super(message);
  }
}

/** The byte-string path that {@link escapePath} printed as `text`; throws {@link MalformedEscapeError}. */
export function unescapePath(text: string): string {
  let bytes = '';
  for (let at = 0; at < text.length; ) {
    const char = text[at]!;
    if (char !== '\\') {
      const codePoint = text.codePointAt(at)!;
      const whole = String.fromCodePoint(codePoint);
      bytes += encodeUtf8(whole);
      at += whole.length;
      continue;
    }
    const next = text[at + 1];
    if (next === '\\') bytes += '\\';
    else if (next === 'n') bytes += '\n';
    else if (next === 't') bytes += '\t';
    else if (next === 'r') bytes += '\r';
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(at + 2, at + 4))) {
      bytes += String.fromCharCode(parseInt(text.slice(at + 2, at + 4), 16));
      at += 4;
      continue;
    } else throw new MalformedEscapeError(`malformed escape at ${at} in ${JSON.stringify(text)}`, at);
    at += 2;
  }
  return bytes;
}
