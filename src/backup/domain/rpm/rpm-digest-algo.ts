import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';

/** rpm's FILEDIGESTALGO numbers (OpenPGP hash ids); rpm itself falls back to md5 when none is recorded. */
const byNumber: ReadonlyMap<number, DigestAlgo> = new Map([
  [1, 'md5'],
  [2, 'sha1'],
  [8, 'sha256'],
  [9, 'sha384'],
  [10, 'sha512'],
  [11, 'sha224'],
]);

/** The algorithm for an rpm FILEDIGESTALGO value; undefined for one this scanner cannot compute. */
export function digestAlgoFromRpm(value: number | undefined): DigestAlgo | undefined {
  return byNumber.get(value ?? 1);
}
