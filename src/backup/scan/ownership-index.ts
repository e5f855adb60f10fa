import { errorCode, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile, PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';

const NO_OWNERS: readonly OwnedFile[] = Object.freeze([]);

/**
 * Who owns which path, keyed by where the path really is in the scanned tree: the database says
 * `/lib/x`, the walk finds `/usr/lib/x` when `/lib` is a symlink (rpm -qf resolves it the same way).
 */
export class OwnershipIndex {
  private readonly byPath = new Map<string, OwnedFile[]>();
  /** A database path as the walk finds it: directory symlinks resolved in the scanned tree. */
  readonly resolve: (path: string) => string;

  constructor(database: PackageDatabase | undefined, fs: FileSystemPort) {
    this.resolve = createPathResolver((path) => {
      try {
        return fs.lstat(path).type === 'symlink' ? fs.readlink(path) : undefined;
      } catch (error) {
        void errorCode(error); // missing or unreadable: rpm cannot resolve it either
        return undefined;
      }
    });
    for (const file of database?.files ?? []) {
      const at = this.resolve(file.path);
      const owners = this.byPath.get(at);
      if (owners) owners.push(file);
      else this.byPath.set(at, [file]);
    }
  }

  /** The records of every package that owns a path (empty: none). */
  owners(path: string): readonly OwnedFile[] {
    return this.byPath.get(path) ?? NO_OWNERS;
  }

  /** Every owned path with its records, as the walk would find them. */
  entries(): IterableIterator<[string, OwnedFile[]]> {
    return this.byPath.entries();
  }
}
