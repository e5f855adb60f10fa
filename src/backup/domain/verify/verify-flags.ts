/**
 * rpm's verify attribute bits (RPMVERIFY_*) and its file attribute bits (RPMFILE_*), with the
 * nine-character verdict string `rpm -V` prints (`S.5....T.`).
 */

/** The attributes `rpm -V` checks, one bit each; a verify result sets the bits that differ. */
export const Verify = {
  /** Content digest (`5`). */
  DIGEST: 1 << 0,
  /** Size (`S`). */
  SIZE: 1 << 1,
  /** Symlink target (`L`). */
  LINKTO: 1 << 2,
  /** Owner (`U`). */
  USER: 1 << 3,
  /** Group (`G`). */
  GROUP: 1 << 4,
  /** Modification time (`T`). */
  MTIME: 1 << 5,
  /** Permissions and file type (`M`). */
  MODE: 1 << 6,
  /** Device number (`D`). */
  RDEV: 1 << 7,
  /** File capabilities (`P`). */
  CAPS: 1 << 8,
  /** The content could not be read: rpm prints `?` where the digest verdict goes. */
  READFAIL: 1 << 28,
  /** readlink failed: `?` where the link verdict goes. */
  READLINKFAIL: 1 << 29,
} as const;

/** How a package marks a file (RPMFILE_*). */
export const FileFlag = {
  /** `%config`: a configuration file. */
  CONFIG: 1 << 0,
  /** `%doc`: documentation. */
  DOC: 1 << 1,
  /** `%missingok`: may be absent. */
  MISSINGOK: 1 << 3,
  /** `%ghost`: owned, not shipped. */
  GHOST: 1 << 6,
} as const;

/** Every attribute rpm can verify, the default for a file without %verify(...). */
export const VERIFY_ALL = 0x1ff;

/** `rpm -V`'s verdict columns, in order: the letter, the verify bit it shows, and the bit that makes it `?` (0: none). */
export const verifyColumns: ReadonlyArray<readonly [string, number, number]> = [
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
  return verifyColumns.map(([letter, bit, fail]) => (result & fail ? '?' : result & bit ? letter : '.')).join('');
}
