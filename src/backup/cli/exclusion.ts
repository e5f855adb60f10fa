/**
 * What the walk leaves out before any rule: `--exclude-from`'s patterns, and the cache folder when
 * it lies inside the scanned root (the scan itself writes there).
 * @module
 */
import { readFileSync } from 'node:fs';

/** Whether the walk leaves a path out (it is still listed, as excluded). */
export type Exclusion = (path: string, isDirectory: boolean) => boolean;

/** An `--exclude-from` file that cannot be read. */
export class ExcludeFileError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'ExcludeFileError';
}

/** The `--exclude-from` patterns as a matcher; undefined without the option. */
export async function excludedByFile(file: string | undefined): Promise<Exclusion | undefined> {
  if (file === undefined) return undefined;
  const { excludeMatcher } = await import('#backup/domain/exclude/exclude-patterns.js');
  try {
    return excludeMatcher(readFileSync(file, 'latin1'));
  } catch (error) {
    throw new ExcludeFileError(`cannot read --exclude-from ${file}: ${(error as Error).message}`);
  }
}

/** `isExcluded`, and `ownCache` (the cache folder as a path of the scanned system) when there is one. */
export function withoutCacheFolder(isExcluded: Exclusion | undefined, ownCache: string | undefined): Exclusion | undefined {
  if (ownCache === undefined) return isExcluded;
  return (path, isDirectory) => path === ownCache || (isExcluded?.(path, isDirectory) ?? false);
}
