/**
 * dpkg's `diversions` file: three lines per diversion — the path packages ship (`from`), where
 * dpkg puts their file instead (`to`), and the diverting package, `:` for a local (admin) one.
 * A package's file at `from` really lives at `to`, unless that package is the diverting one.
 */

export interface Diversion {
  /** The path as packages ship it. */
  readonly from: string;
  /** Where the diverted file really lives. */
  readonly to: string;
  /** The diverting package; undefined for a local diversion, which diverts every package. */
  readonly by: string | undefined;
}

/** The diversions in file order; an incomplete last triple is dropped. */
export function parseDiversions(text: string): Diversion[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const diversions: Diversion[] = [];
  for (let i = 0; i + 2 < lines.length; i += 3) {
    const by = lines[i + 2]!;
    diversions.push({ from: lines[i]!, to: lines[i + 1]!, by: by === ':' ? undefined : by });
  }
  return diversions;
}

/** Where `pkg`'s file named `path` is on disk, given the diversions keyed by `from`. */
export function divertedPath(path: string, pkg: string, byFrom: ReadonlyMap<string, Diversion>): string {
  const diversion = byFrom.get(path);
  return diversion && diversion.by !== pkg ? diversion.to : path;
}
