/**
 * dpkg's `info/PACKAGE.list`: every path the package installed, one a line, in archive order.
 * Paths are byte strings (see ../entry.ts) and may hold any byte but a newline; dpkg writes the
 * top directory as `/.`.
 */

/** The absolute paths a `.list` names, `/.` read as `/`; blank lines (none in practice) are skipped. */
export function parseDpkgList(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    paths.push(line === '/.' ? '/' : line);
  }
  return paths;
}
