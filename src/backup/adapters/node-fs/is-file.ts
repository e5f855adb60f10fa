import { existsSync, statSync } from 'node:fs';

/** Whether `path` (a host path) names a regular file, symlinks followed; false when it does not exist. */
export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
