/**
 * The package database: which paths the installed packages own, and what each record expects. Every path here is a byte string (see entry/entry.ts): one character per byte, so
 * any name a file system holds survives exactly. Paths are the scanned system's own (`/etc/passwd`),
 * whatever directory an adapter maps them to.
 * @module
 */

import type { DigestAlgo } from './digest.port.js';

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

/**
 * The records of a database, in order: a plain array (the fakes), or a compact table whose records
 * are built only when read (`domain/owned-files/`), which is what the real adapters return.
 */
export interface OwnedFiles extends Iterable<OwnedFile> {
  /** How many records there are. */
  readonly length: number;
  /** The record at `index`; undefined past the end. */
  at(index: number): OwnedFile | undefined;
}

/** Everything a package database says, loaded at once. */
export interface PackageDatabase {
  /** Where it came from, for messages (e.g. `rpm database /var/lib/rpm`). */
  readonly source: string;
  /** How many packages are installed. */
  readonly packageCount: number;
  /** Every path the installed packages own, one record per package that owns it. */
  readonly files: OwnedFiles;
}

/** Loads ownership records in bulk; an adapter refuses to return an empty database silently. */
export interface PackageDatabasePort {
  /** Read the whole database. */
  load(): Promise<PackageDatabase>;
}

/** A failure the user can act on, with a message that says how (a database missing, unreadable or empty). */
export class PackageDatabaseError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'PackageDatabaseError';
}
