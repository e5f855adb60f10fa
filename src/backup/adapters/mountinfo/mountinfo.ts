/** Undoes mountinfo's octal escapes (`\040` for a space, `\012` for a newline...), as bytes. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Mount points from /proc/self/mountinfo text (latin1), as paths of the system rooted at `root`
 * (a host byte-string path). Bind mounts share their parent's device, so only this file shows them.
 * `root` itself is not listed: it is where the scan starts.
 */
export function mountPointsUnder(mountinfo: string, root: string): Set<string> {
  const base = root === '/' ? '' : root.replace(/\/+$/, '');
  const found = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const point = unescape(field);
    if (point.startsWith(`${base}/`) && point !== `${base}/` && point !== '/') found.add(point.slice(base.length));
  }
  return found;
}
