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
  readonly diversions: Array<{ side: 'from' | 'to'; by: string | undefined; path: string }>;
}

export function parseDpkgSearch(stdout: Buffer): DpkgSearch {
  const owners = new Map<string, string[]>();
  const diversions: DpkgSearch['diversions'] = [];
  for (const line of stdout.toString('latin1').split('\n')) {
    const diversion = /^(?:local diversion|diversion by (\S+)) (from|to): (.*)$/.exec(line);
    if (diversion) {
      diversions.push({ side: diversion[2] as 'from' | 'to', by: diversion[1], path: diversion[3]! });
      continue;
    }
    const owned = /^(.+?): (\/.*)$/.exec(line);
    if (owned) owners.set(owned[2]!, owned[1]!.split(', '));
  }
  return { owners, diversions };
}
