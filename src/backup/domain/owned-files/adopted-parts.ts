/** What `OwnedFileTable.adopt` takes from a loader that built the table's parts itself. */
import type { ColumnArrays } from './columns.js';

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
