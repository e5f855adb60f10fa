/**
 * Where rpm databases live, apart from the adapter that reads them: finding out which database a
 * root holds (package-db-choice.ts) then loads none of the rpm code.
 * @module
 */
import { isFile } from '#backup/adapters/node-fs/is-file.js';

/** Where rpm keeps its database: Fedora 36+, then older systems; rpm's own default is tried first. */
export const KNOWN_DBPATHS = ['/usr/lib/sysimage/rpm', '/var/lib/rpm'];
const DB_FILES = ['rpmdb.sqlite', 'Packages', 'Packages.db'];

/** Does `dbpath` inside `root` hold an rpm database file? (Debian's rpm ships an empty /var/lib/rpm.) */
export function hasDatabase(root: string, dbpath: string): boolean {
  const dir = `${root.replace(/\/+$/, '')}${dbpath}`;
  return DB_FILES.some((f) => isFile(`${dir}/${f}`));
}
