/**
 * What a scan is asked to do and what it reports back: the walk's inputs and outputs, apart from
 * the walk itself (walk.ts) so both it and the `scan` entry point can name them.
 * @module
 */
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestPort } from '#backup/domain/ports/digest.port.js';
import type { FileSystemPort, ListingsAhead } from '#backup/domain/ports/file-system.port.js';
import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';

/** What to scan, through which ports, and where each entry goes. */
export interface ScanOptions {
  /** The scanned system's files. */
  readonly fs: FileSystemPort;
  /** Hashes content to compare with the recorded digests. */
  readonly digester: DigestPort;
  /** Turns owner and group ids into the names packages record. */
  readonly accounts: AccountsPort;
  /** The package database; absent with `--package-db none`, and then everything is new. */
  readonly database?: PackageDatabase | undefined;
  /** Where to start, in the scanned system; `/` by default. */
  readonly roots?: readonly string[];
  /** Stay on the roots' file systems (the default): other mounts are listed as not scanned. */
  readonly oneFileSystem?: boolean;
  /** Compare metadata only: no content is read, a digest is taken as matching. */
  readonly quick?: boolean;
  /** Paths not to look into (`--exclude-from`, skip rules); they are still emitted, as excluded. */
  readonly isExcluded?: (path: string, isDirectory: boolean) => boolean;
  /** Receives every entry in walk order, classified. */
  readonly onEntry: (entry: ScannedEntry) => void;
  /** Called every few hundred entries with the path being looked at. */
  readonly onProgress?: (entries: number, path: string) => void;
  /**
   * The listings of one root, read ahead since before the walk started (while the database
   * loaded); the walk takes it for that root, and closes it. Other roots it reads ahead itself.
   */
  readonly readAhead?: ListingsAhead | undefined;
}

/** A path the package database owns that the walk did not find (rpm's `missing`). */
export interface MissingFile {
  /** The owned path, as the database spells it. */
  readonly path: string;
  /** The package that owns it. */
  readonly package: string;
  /** A configuration file (rpm prints `c`). */
  readonly config: boolean;
}

/** Counts and leftovers of a finished scan, for the summary. */
export interface ScanReport {
  /** Entries the walk looked at. */
  readonly entries: number;
  /** Files whose content was read to compare digests (cache hits and repeated hard links not counted). */
  readonly hashed: number;
  /** Entries reported unreadable (each also emitted with class `unreadable`). */
  readonly unreadable: number;
  /** Entries that disappeared while being scanned: nothing left to back up. */
  readonly vanished: readonly string[];
  /** Owned paths the walk did not find, by path; %ghost, %missingok and paths under skipped folders left out. */
  readonly missing: readonly MissingFile[];
}
