/**
 * Escaping an arbitrary string into a D-Bus bus-name element and object-path element, the way
 * the Telepathy spec asks connection managers to (telepathy-glib calls it "escape as identifier"):
 * every UTF-8 byte that is not an ASCII letter or digit becomes `_` and two lower-case hex digits,
 * a leading digit is escaped too, and the empty string becomes `_`.
 */
export function escapeAsIdentifier(text: string): string {
  if (text === '') return '_';
  let out = '';
  for (const byte of utf8Bytes(text)) {
    const isLetter = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    const isDigit = byte >= 0x30 && byte <= 0x39;
    if (isLetter || (isDigit && out !== '')) out += String.fromCharCode(byte);
    else out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** UTF-8 bytes of a string (lone surrogates are encoded as their own code points). */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}
