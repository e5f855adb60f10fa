/**
 * The scanned system's files, as the scanner sees them: read-only, with the error code its failures carry. Every path here is a byte string (see entry/entry.ts): one character per byte, so
 * any name a file system holds survives exactly. Paths are the scanned system's own (`/etc/passwd`),
 * whatever directory an adapter maps them to.
 * @module
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
  /** `nlink` as a number, where a stat has it without making a bigint (the walk asks it of every entry). */
  readonly links?: number;
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
  /**
   * Writes `dev`, `ino`, `size`, `mtimeNs` and `ctimeNs` into `out` as ten 32-bit words (each
   * value's 64-bit two's complement, low word first) without making a bigint; absent where a stat
   * has no cheaper way than its fields (the digest cache keys files by these words).
   */
  readonly words?: (out: Uint32Array) => void;
}

/** An lstat's numbers, as node's and memfs's BigIntStats carry them (and more). */
export type StatNumbers = Omit<FileStat, 'type'>;

/** The port's stat from an lstat's numbers: only the fields the port carries, so no more is kept. */
export function fileStat(type: FileType, s: StatNumbers): FileStat {
  return {
    type,
    dev: s.dev,
    ino: s.ino,
    mode: s.mode,
    nlink: s.nlink,
    uid: s.uid,
    gid: s.gid,
    rdev: s.rdev,
    size: s.size,
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
  };
}

/** One name in a directory, with the type the directory listing reports (it may not know). */
export interface DirEntry {
  /** The entry's name (one byte per character). */
  readonly name: string;
  /** Its type, or `unknown` when the listing does not say (then lstat tells). */
  readonly type: FileType | 'unknown';
}

/** One entry of a directory read with its status (`listWithStatus`): what `lstat` and `canRead` would say. */
export interface StatusEntry {
  /** The entry's name (one byte per character). */
  readonly name: string;
  /** Its whole path (the folder's, a slash, the name), when the listing made it in one piece: the walk then joins nothing. */
  readonly path?: string | undefined;
  /** Its lstat; undefined when that failed (see `code`). */
  readonly stat: FileStat | undefined;
  /** Why lstat failed (ENOENT: it vanished); undefined when it did not. */
  readonly code: string | undefined;
  /** What `canRead` says of a file or directory (true for other types, which are never read). */
  readonly readable: boolean;
}

/** Where a read ahead descends: where the walk does, but for its exclusions, which the walk tells it ({@link ListingsAhead.skip}). */
export interface AheadRules {
  /** Stay on the root's device, and out of mount points. */
  readonly oneFileSystem: boolean;
  /** Mount points, as paths of the scanned system ({@link FileSystemPort.mountPoints}). */
  readonly mounts: ReadonlySet<string>;
}

/**
 * Listings read ahead of a walk ({@link FileSystemPort.readAhead}), depth-first with names in
 * byte order, a folder before its content: the walk's order. A bounded number wait.
 */
export interface ListingsAhead {
  /** The folder the reading started from. */
  readonly root: string;
  /**
   * The listing of `dir` as `listWithStatus` gives it (throwing as it throws), waiting for it if
   * it is on its way; undefined when it was not read ahead: the walk then lists it. Asked in the
   * walk's order: what comes before `dir` is for folders the walk went past, and goes.
   */
  take(dir: string): StatusEntry[] | undefined;
  /** The walk will not look into `dir`: nothing below it is read, and what was goes. */
  skip(dir: string): void;
  /** Stops reading and lets go of what is held. */
  close(): void;
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
  /**
   * Optional: a directory's entries with what `lstat` and `canRead` say of each, in one call (a
   * native walker does it from the directory's descriptor); throws as `list` does.
   */
  listWithStatus?(dir: string): StatusEntry[];
  /**
   * Optional, with `listWithStatus`: the listings of the tree at `root` read ahead of the walk, in
   * its order, while it works (the native walker's thread); undefined when it cannot.
   */
  readAhead?(root: string, rules: AheadRules): ListingsAhead | undefined;
  /** True when `listWithStatus` and `readAhead` give entries in byte order of name already: the walk then sorts nothing. */
  readonly listsInByteOrder?: boolean;
  /**
   * Optional: for each path, what `lstat` then `readlink` say, in one call (the native addon's):
   * its target when it is a symlink, else undefined, also when either of them fails.
   */
  linkTargets?(paths: readonly string[]): (string | undefined)[];
}

/** The `code` of an error thrown by a port, or `EIO` when it carries none. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}
