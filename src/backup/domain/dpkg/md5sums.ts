/**
 * dpkg's `info/PACKAGE.md5sums`: `HEX  PATH` lines, the path relative to the root (no leading
 * slash) and separated from the digest by two spaces. Paths are byte strings; only a newline ends one.
 */

const HEX = /^[0-9a-fA-F]{32}$/;

/** Where dpkg files a path: leading `/` and `./` are dropped, as its file-name hash does, then one `/` added. */
export function absoluteDpkgPath(path: string): string {
  if (path[0] !== '/' && path[0] !== '.') return `/${path}`;
  let rest = path;
  for (;;) {
    if (rest.startsWith('/')) rest = rest.slice(1);
    else if (rest.startsWith('./')) rest = rest.slice(2);
    else break;
  }
  return `/${rest}`;
}

/** Absolute path → lowercase md5 hex. Lines that are not `HEX  PATH` are skipped, as dpkg warns and skips them. */
export function parseMd5sums(text: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const line of text.split('\n')) {
    // `md5sum` writes `HEX  PATH`, or `HEX *PATH` in binary mode; dpkg accepts both.
    if (line.length < 35 || line[32] !== ' ' || (line[33] !== ' ' && line[33] !== '*')) continue;
    const hex = line.slice(0, 32);
    if (HEX.test(hex)) digests.set(absoluteDpkgPath(line.slice(34)), hex.toLowerCase());
  }
  return digests;
}
