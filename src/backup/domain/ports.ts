/**
 * The scanner's view of the outside world, as interfaces only. Every path here is a byte string
 * (see entry.ts): one character per byte, so any name a file system holds survives exactly.
 * Paths are the scanned system's own (`/etc/passwd`), whatever directory an adapter maps them to.
 */

/** What lstat says an entry is. */
export type FileType = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device';

/** lstat's answer, in bigint so 64-bit sizes and inode numbers stay exact. */
export interface FileStat {
  readonly type: FileType;
  readonly dev: bigint;
  readonly ino: bigint;
  /** st_mode with the type bits, as rpm records it. */
  readonly mode: bigint;
  readonly nlink: bigint;
  readonly uid: bigint;
  readonly gid: bigint;
  readonly rdev: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** One name in a directory, with the type the directory listing reports (it may not know). */
export interface DirEntry {
  readonly name: string;
  readonly type: FileType | 'unknown';
}

/**
 * Read-only access to a file system. Failing operations throw an error carrying the system's
 * `code` (EACCES, ENOENT, ELOOP, ENAMETOOLONG, ENOTDIR...). There is no write operation at all.
 */
export interface FileSystemPort {
  list(dir: string): DirEntry[];
  lstat(path: string): FileStat;
  readlink(path: string): string;
  /** Paths where another file system (or a bind mount of one) is mounted; the top `/` is not listed. */
  mountPoints(): ReadonlySet<string>;
  /** Whether this process may read the entry (and, for a directory, enter it). */
  canRead(path: string, type: FileType): boolean;
  /** The content of a regular file, in chunks; never opens FIFOs, sockets or devices. */
  readChunks(path: string): AsyncIterable<Uint8Array>;
}

/** The content digests rpm records, named after rpm's FILEDIGESTALGO numbers. */
export type DigestAlgo = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export type DigestResult =
  | { readonly ok: true; readonly hex: string; readonly size: bigint }
  | { readonly ok: false; readonly code: string };

/** Hashes file content (the real adapter does it in worker threads, reading each file once). */
export interface DigestPort {
  /** `stat` is the lstat the scanner saw, so a cache can tell whether the file changed since. */
  digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult>;
  /** Starts any requests held back for batching; the scanner calls it before it waits. */
  flush?(): void;
}

/** User and group names as the scanned system defines them (its own /etc/passwd and /etc/group). */
export interface AccountsPort {
  userName(uid: bigint): string | undefined;
  groupName(gid: bigint): string | undefined;
  uidOf(name: string): bigint | undefined;
  gidOf(name: string): bigint | undefined;
}

/** rpm's per-file install state (FILESTATES). */
export type OwnedFileState = 'normal' | 'replaced' | 'not-installed' | 'net-shared' | 'wrong-color' | 'missing';

/** What a package database expects of one path it owns. */
export interface OwnedFile {
  /** The path as the database spells it (directory symlinks not resolved). */
  readonly path: string;
  /** Owning package, e.g. `bash-5.2.15-3.fc38.x86_64`. */
  readonly package: string;
  readonly size: bigint;
  /** Expected st_mode including type bits (rpm's 16-bit FILEMODES). */
  readonly mode: number;
  /** Hex digest; empty when none is recorded (directories, symlinks, %ghost). */
  readonly digest: string;
  readonly digestAlgo: DigestAlgo | undefined;
  /** Expected mtime in seconds. */
  readonly mtime: bigint;
  /** Expected symlink target; empty when not a symlink. */
  readonly linkTarget: string;
  readonly user: string;
  readonly group: string;
  readonly rdev: number;
  readonly flags: { readonly config: boolean; readonly ghost: boolean; readonly doc: boolean; readonly missingOk: boolean };
  /** Which attributes rpm checks for this file (RPMVERIFY_* bits, see verify-flags.ts). */
  readonly verifyFlags: number;
  readonly state: OwnedFileState;
}

/** Everything a package database says, loaded at once. */
export interface PackageDatabase {
  /** Where it came from, for messages (e.g. `rpm database /var/lib/rpm`). */
  readonly source: string;
  readonly packageCount: number;
  readonly files: readonly OwnedFile[];
}

/** Loads ownership records in bulk; an adapter refuses to return an empty database silently. */
export interface PackageDatabasePort {
  load(): Promise<PackageDatabase>;
}

/** The `code` of an error thrown by a port, or `EIO` when it carries none. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}
