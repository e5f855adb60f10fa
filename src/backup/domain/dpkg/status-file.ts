/**
 * The installed packages in dpkg's `status` file, with their conffiles. Only a package whose
 * Status ends in `installed` (`install ok installed`, or `hold ok installed`) counts: a removed
 * package that left its conffiles behind (`config-files`) or a half-installed one owns nothing here.
 */
import { parseStanzas, type FieldValue, type Stanza } from './control-stanzas.js';

/** A configuration file as the status file records it: the digest it had when installed. */
export interface Conffile {
  /** Absolute byte-string path. */
  readonly path: string;
  /** md5 hex, or a dpkg marker such as `newconffile` when none was recorded yet. */
  readonly digest: string;
  /** No longer shipped by the package, but left on disk for the admin. */
  readonly obsolete: boolean;
  /** To be removed when the package is next upgraded. */
  readonly removeOnUpgrade: boolean;
}

/** A package the status file says is installed. */
export interface InstalledPackage {
  /** The bare package name. */
  readonly name: string;
  /** e.g. `amd64`, or `all`. */
  readonly architecture: string;
  /** `Multi-Arch: same` packages are co-installable per architecture, so dpkg names them `name:arch`. */
  readonly multiArchSame: boolean;
  /** Its configuration files, from the `Conffiles` field. */
  readonly conffiles: readonly Conffile[];
}

const MARKERS = { obsolete: ' obsolete', removeOnUpgrade: ' remove-on-upgrade' } as const;

/** One ` /path digest [obsolete] [remove-on-upgrade]` line; the path may hold spaces, so it is read from the end. */
export function parseConffileLine(line: string): Conffile | undefined {
  let rest = line.replace(/^[ \t]+/, '');
  let obsolete = false;
  let removeOnUpgrade = false;
  for (let more = true; more; ) {
    more = false;
    if (rest.endsWith(MARKERS.obsolete)) {
      rest = rest.slice(0, -MARKERS.obsolete.length);
      obsolete = more = true;
    }
    if (rest.endsWith(MARKERS.removeOnUpgrade)) {
      rest = rest.slice(0, -MARKERS.removeOnUpgrade.length);
      removeOnUpgrade = more = true;
    }
  }
  const space = rest.lastIndexOf(' ');
  if (space <= 0 || space === rest.length - 1 || !rest.startsWith('/')) return undefined;
  return { path: rest.slice(0, space), digest: rest.slice(space + 1).toLowerCase(), obsolete, removeOnUpgrade };
}

function conffilesOf(value: FieldValue | undefined): Conffile[] {
  if (!value) return [];
  const lines = value.first ? [value.first, ...value.more] : value.more;
  return lines.flatMap((line) => parseConffileLine(line) ?? []);
}

/** Whether a `Status:` value (want, error flag, state) says the package is installed. */
export function isInstalled(status: string | undefined): boolean {
  return status?.trim().split(/\s+/)[2] === 'installed';
}

/** The fields read; the rest (descriptions, dependencies) are skipped. */
export const STATUS_FIELDS: ReadonlySet<string> = new Set(['package', 'status', 'architecture', 'multi-arch', 'conffiles']);

/** The package a stanza of the status file describes, when it is installed. */
export function installedOf(stanza: Stanza): InstalledPackage | undefined {
  const name = stanza.get('package')?.first;
  if (!name || !isInstalled(stanza.get('status')?.first)) return undefined;
  return {
    name,
    architecture: stanza.get('architecture')?.first ?? '',
    multiArchSame: stanza.get('multi-arch')?.first === 'same',
    conffiles: conffilesOf(stanza.get('conffiles')),
  };
}

/** The installed packages, in file order. */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  return parseStanzas(text, STATUS_FIELDS).flatMap((stanza) => installedOf(stanza) ?? []);
}

/** The name dpkg gives the package's info files and prints in `dpkg -S`: `name:arch` for Multi-Arch: same. */
export function infoName(pkg: InstalledPackage): string {
  return pkg.multiArchSame && pkg.architecture ? `${pkg.name}:${pkg.architecture}` : pkg.name;
}
