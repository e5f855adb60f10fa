import { existsSync, statSync } from 'node:fs';
import { DPKG_ADMINDIR } from './dpkg-database.js';

/** Which package databases a root holds, for `--package-db auto`. */
export type DetectedPackageDb = 'rpm' | 'dpkg' | 'both' | 'none';

/** Where rpm keeps its database inside a root (Fedora 36+, then older systems) and the files that make one. */
const RPM_DBPATHS = ['/usr/lib/sysimage/rpm', '/var/lib/rpm'];
const RPM_DB_FILES = ['rpmdb.sqlite', 'Packages', 'Packages.db'];

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/**
 * Looks at the root's own files, runs nothing: a dpkg database is a `var/lib/dpkg/status` file, an
 * rpm one a database file in one of rpm's usual folders. An empty folder (Debian's rpm package
 * ships an empty /var/lib/rpm) is not a database.
 */
export function detectPackageDb(root = '/'): DetectedPackageDb {
  const top = root.replace(/\/+$/, '');
  const dpkg = isFile(`${top}${DPKG_ADMINDIR}/status`);
  const rpm = RPM_DBPATHS.some((dir) => RPM_DB_FILES.some((file) => isFile(`${top}${dir}/${file}`)));
  return dpkg && rpm ? 'both' : dpkg ? 'dpkg' : rpm ? 'rpm' : 'none';
}
