/** What `OwnedFileTable.adopt` takes from a loader that built the table's parts itself, and what `parts` gives back. */
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import type { ColumnArrays, WideColumn } from './columns.js';

/** A table's parts, taken as they are (not copied). */
export interface AdoptedParts {
  /** One row per record. */
  readonly columns: ColumnArrays;
  /** The names' bytes the rows point into, then room for more. */
  readonly names: Buffer;
  /** How many bytes of `names` are names. */
  readonly namesUsed: number;
  /** The digests' bytes the rows point into, then room for more. */
  readonly digests: Buffer;
  /** How many bytes of `digests` are digests. */
  readonly digestsUsed: number;
  /** The folders by id. */
  readonly folders: readonly string[];
  /** `hashText` of each folder, by id. */
  readonly folderHashes: Int32Array;
}

/** The fields a record keeps beside the columns (a number they cannot hold exactly, a text digest, a link target, a path without a folder). */
export type OddFields = { -readonly [K in keyof OwnedFile]?: OwnedFile[K] };

/** Every part of a table, as a snapshot keeps it: `AdoptedParts`, and what a loader need not make itself. */
export interface TableParts extends AdoptedParts {
  /** Size, mtime and rdev by row; an empty column is all 0. */
  readonly wide: Readonly<Record<WideColumn, Float64Array>>;
  /** Package, user and group names by text id. */
  readonly texts: readonly string[];
  /** The odd fields by row. */
  readonly odd: ReadonlyMap<number, OddFields>;
}
