import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';

/** What the report says of the package database, kept once the scan let go of the database itself. */
export interface DatabaseFacts {
  /** Where it was read, e.g. `rpm database /var/lib/rpm`. */
  readonly source: string;
  /** Packages installed. */
  readonly packageCount: number;
  /** Owned-path records. */
  readonly owned: number;
}

/**
 * The loaded package database, held until the scan is done with it: its records are tens of
 * megabytes the output need not keep (measured on / with dpkg: 27 MB of buffers, and the peak
 * resident set came while writing the list).
 */
export class HeldDatabase {
  /** What the report says of it; undefined without a database. */
  readonly facts: DatabaseFacts | undefined;
  private held: PackageDatabase | undefined;
  private released = false;

  constructor(database: PackageDatabase | undefined) {
    this.held = database;
    this.facts = database && { source: database.source, packageCount: database.packageCount, owned: database.files.length };
  }

  /** The database; asking once it is released is a bug, never a silent "no database". */
  get database(): PackageDatabase | undefined {
    if (this.released) throw new Error('the package database was asked for after the scan released it');
    return this.held;
  }

  /** The scan is done: the records may go. */
  release(): void {
    this.held = undefined;
    this.released = true;
  }
}

/** The database once loaded: the policy asks for it only during the scan, and earlier would be a bug, never "no database". */
export function loadedDatabase(held: HeldDatabase | undefined): PackageDatabase | undefined {
  if (held === undefined) throw new Error('the package database was asked for before it loaded');
  return held.database;
}
