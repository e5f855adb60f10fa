/** Readers for what the real dpkg tools print, so tests can compare verdicts line by line. */

/** One `dpkg --verify` line: `??5?????? c /path` or `missing   c /path`. */
export interface DpkgVerifyLine {
  readonly path: string;
  readonly missing: boolean;
  readonly config: boolean;
  /** The nine-column check string (`missing` for a missing file). */
  readonly checks: string;
}

/** Reads `dpkg --verify` output (printf "%.9s %c %s"); paths stay byte strings. */
export function parseDpkgVerify(stdout: Buffer): DpkgVerifyLine[] {
  return stdout
    .toString('latin1')
    .split('\n')
    .filter((line) => line.length > 12)
    .map((line) => {
      const checks = line.slice(0, 9).trimEnd();
      return { path: line.slice(12), missing: checks === 'missing', config: line[10] === 'c', checks };
    });
}

/** What `dpkg -S PATH...` says: the packages listing each path, and the diversions it mentions. */
export interface DpkgSearch {
  readonly owners: Map<string, string[]>;
  /** dpkg prints each diversion as a `from:` line followed by its `to:` line. */
  readonly diversions: Array<{ from: string; to: string; by: string | undefined }>;
}

export function parseDpkgSearch(stdout: Buffer): DpkgSearch {
  const owners = new Map<string, string[]>();
  const diversions: DpkgSearch['diversions'] = [];
  let from: string | undefined;
  for (const line of stdout.toString('latin1').split('\n')) {
    const diversion = /^(?:local diversion|diversion by (\S+)) (from|to): (.*)$/.exec(line);
    if (diversion) {
      if (diversion[2] === 'from') from = diversion[3]!;
      else if (from !== undefined) diversions.push({ from, to: diversion[3]!, by: diversion[1] });
      continue;
    }
    const owned = /^(.+?): (\/.*)$/.exec(line);
    if (owned) owners.set(owned[2]!, owned[1]!.split(', '));
  }
  return { owners, diversions };
}

/**
 * Who owns what, by where the file really is, from `dpkg -S` output: a path stays with the
 * packages listing it, except that a diverted one goes to `to` for every package but the diverter.
 */
export function ownersWhereFilesAre(search: DpkgSearch): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const add = (path: string, pkgs: string[]) => {
    if (pkgs.length) result.set(path, [...(result.get(path) ?? []), ...pkgs].sort());
  };
  for (const [path, pkgs] of search.owners) {
    const diversion = search.diversions.find((d) => d.from === path);
    if (!diversion) add(path, pkgs);
    else {
      add(path, pkgs.filter((p) => p === diversion.by));
      add(diversion.to, pkgs.filter((p) => p !== diversion.by));
    }
  }
  return result;
}
