import { verifyColumns } from '#backup/domain/verify/verify-flags.js';

/** Parses a verdict string back to bits (for reading `rpm -V` output in tests). */
export function parseVerifyString(text: string): number {
  let result = 0;
  verifyColumns.forEach(([letter, bit, fail], i) => {
    if (text[i] === letter) result |= bit;
    else if (text[i] === '?') result |= fail || bit;
  });
  return result;
}
