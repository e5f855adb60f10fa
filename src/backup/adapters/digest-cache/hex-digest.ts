/**
 * A digest's bytes from its hex text, as the digest port spells it.
 * @module
 */

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  return c >= 97 && c <= 102 ? c - 87 : -1; // a-f
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
