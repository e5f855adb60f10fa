/**
 * rpm's verify attribute bits (RPMVERIFY_*) and its file attribute bits (RPMFILE_*), with the
 * nine-character verdict string `rpm -V` prints (`S.5....T.`).
 */

export const Verify = {
  DIGEST: 1 << 0,
  SIZE: 1 << 1,
  LINKTO: 1 << 2,
  USER: 1 << 3,
  GROUP: 1 << 4,
  MTIME: 1 << 5,
  MODE: 1 << 6,
  RDEV: 1 << 7,
  CAPS: 1 << 8,
  /** The content could not be read: rpm prints `?` where the digest verdict goes. */
  READFAIL: 1 << 28,
  /** readlink failed: `?` where the link verdict goes. */
  READLINKFAIL: 1 << 29,
} as const;

export const FileFlag = {
  CONFIG: 1 << 0,
  DOC: 1 << 1,
  MISSINGOK: 1 << 3,
  GHOST: 1 << 6,
} as const;

/** Every attribute rpm can verify, the default for a file without %verify(...). */
export const VERIFY_ALL = 0x1ff;

const columns: ReadonlyArray<readonly [string, number, number]> = [
  ['S', Verify.SIZE, 0],
  ['M', Verify.MODE, 0],
  ['5', Verify.DIGEST, Verify.READFAIL],
  ['D', Verify.RDEV, 0],
  ['L', Verify.LINKTO, Verify.READLINKFAIL],
  ['U', Verify.USER, 0],
  ['G', Verify.GROUP, 0],
  ['T', Verify.MTIME, 0],
  ['P', Verify.CAPS, 0],
];

/** The verdict string as `rpm -V` prints it: a letter per failed test, `?` where a test could not run. */
export function verifyString(result: number): string {
  return columns.map(([letter, bit, fail]) => (result & fail ? '?' : result & bit ? letter : '.')).join('');
}

/** Parses a verdict string back to bits (for reading `rpm -V` output in tests and tools). */
export function parseVerifyString(text: string): number {
  let result = 0;
  columns.forEach(([letter, bit, fail], i) => {
    if (text[i] === letter) result |= bit;
    else if (text[i] === '?') result |= fail || bit;
  });
  return result;
}
