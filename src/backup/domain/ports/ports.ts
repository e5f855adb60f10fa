/**
 * The scanner's view of the outside world, as interfaces only. Every path here is a byte string
 * (see entry.ts): one character per byte, so any name a file system holds survives exactly.
 * Paths are the scanned system's own (`/etc/passwd`), whatever directory an adapter maps them to.
 */

/** What lstat says an entry is. */
export type FileType = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device';

/** lstat's answer, in bigint so 64-bit sizes and inode numbers stay exact. */
export interface FileStat {
  /** What kind of entry it is (lstat: a symlink is not followed). */
  readonly type: FileType;
  /** Device of the file system holding it. */
  readonly dev: bigint;
  /** Inode number; `dev` and `ino` together name one file, whatever its hard links. */
  readonly ino: bigint;
  /** st_mode with the type bits, as rpm records it. */
  readonly mode: bigint;
  /** Number of hard links. */
  readonly nlink: bigint;
  /** Owning user id. */
  readonly uid: bigint;
  /** Owning group id. */
  readonly gid: bigint;
  /** Device number, for character and block devices. */
  readonly rdev: bigint;
  /** Size in bytes. */
  readonly size: bigint;
  /** Last content change, in nanoseconds since the epoch. */
  readonly mtimeNs: bigint;
  /** Last change to content or metadata, in nanoseconds since the epoch. */
  readonly ctimeNs: bigint;
}

/** One name in a directory, with the type the directory listing reports (it may not know). */
export interface DirEntry {
  /** The entry's name (one byte per character). */
  readonly name: string;
  /** Its type, or `unknown` when the listing does not say (then lstat tells). */
  readonly type: FileType | 'unknown';
}

/**
 * Read-only access to a file system. Failing operations throw an error carrying the system's
 * `code` (EACCES, ENOENT, ELOOP, ENAMETOOLONG, ENOTDIR...). There is no write operation at all.
 */
export interface FileSystemPort {
  /** The entries of a directory, without `.` and `..`. */
  list(dir: string): DirEntry[];
  /** Status of an entry itself, not of what a symlink points to. */
  lstat(path: string): FileStat;
  /** The target a symlink holds, as written. */
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

/** A file's digest, or why it could not be read. */
export type DigestResult =
  | {
      /** The file was read to the end. */
      readonly ok: true;
      /** The digest in lower-case hex. */
      readonly hex: string;
      /** How many bytes were read. */
      readonly size: bigint;
    }
  | {
      /** The file could not be read. */
      readonly ok: false;
      /** The system's error code, e.g. `EACCES`. */
      readonly code: string;
    };

/** Hashes file content (the real adapter does it in worker threads, reading each file once). */
export interface DigestPort {
  /** `stat` is the lstat the scanner saw, so a cache can tell whether the file changed since. */
  digest(path: string, algo: DigestAlgo, stat?: FileStat): Promise<DigestResult>;
  /** Starts any requests held back for batching; the scanner calls it before it waits. */
  flush?(): void;
  /** A digest known without reading (a cache hit), answered at once; undefined when not known. */
  known?(stat: FileStat, algo: DigestAlgo): DigestResult | undefined;
}

/** User and group names as the scanned system defines them (its own /etc/passwd and /etc/group). */
export interface AccountsPort {
  /** The name of a user id, if the system defines it. */
  userName(uid: bigint): string | undefined;
  /** The name of a group id, if the system defines it. */
  groupName(gid: bigint): string | undefined;
  /** The id of a user name, if the system defines it. */
  uidOf(name: string): bigint | undefined;
  /** The id of a group name, if the system defines it. */
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
  /** Expected size in bytes. */
  readonly size: bigint;
  /** Expected st_mode including type bits (rpm's 16-bit FILEMODES). */
  readonly mode: number;
  /** Hex digest; empty when none is recorded (directories, symlinks, %ghost). */
  readonly digest: string;
  /** Which algorithm `digest` uses; undefined when none is recorded. */
  readonly digestAlgo: DigestAlgo | undefined;
  /** Expected mtime in seconds. */
  readonly mtime: bigint;
  /** Expected symlink target; empty when not a symlink. */
  readonly linkTarget: string;
  /** Expected owner, by name (packages record names, not ids). */
  readonly user: string;
  /** Expected group, by name. */
  readonly group: string;
  /** Expected device number, for device files. */
  readonly rdev: number;
  /** How the package marks the file (rpm's FILEFLAGS). */
  readonly flags: {
    /** A configuration file (`%config`): the admin is expected to change it. */
    readonly config: boolean;
    /** Owned but not shipped (`%ghost`): the package only reserves the path. */
    readonly ghost: boolean;
    /** Documentation (`%doc`), which an install may leave out. */
    readonly doc: boolean;
    /** May be missing without counting as changed (`%missingok`). */
    readonly missingOk: boolean;
  };
  /** Which attributes rpm checks for this file (RPMVERIFY_* bits, see verify-flags.ts). */
  readonly verifyFlags: number;
  /** Whether the package really installed this file. */
  readonly state: OwnedFileState;
}

/** Everything a package database says, loaded at once. */
export interface PackageDatabase {
  /** Where it came from, for messages (e.g. `rpm database /var/lib/rpm`). */
  readonly source: string;
  /** How many packages are installed. */
  readonly packageCount: number;
  /** Every path the installed packages own, one record per package that owns it. */
  readonly files: readonly OwnedFile[];
}

/** Loads ownership records in bulk; an adapter refuses to return an empty database silently. */
export interface PackageDatabasePort {
  /** Read the whole database. */
  load(): Promise<PackageDatabase>;
}

/** The `code` of an error thrown by a port, or `EIO` when it carries none. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}
