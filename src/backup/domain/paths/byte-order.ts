/**
 * Byte order, as `LC_ALL=C ls` sorts: paths and names are byte strings (one character per byte,
 * see entry/entry.ts), so comparing their UTF-16 code units compares their bytes. Every sorted
 * list the program prints uses it, so output is stable whatever order the disk returns.
 * @module
 */

/** Compares byte strings in byte order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares records by their `name`, in byte order. */
export function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return byteOrder(a.name, b.name);
}

/** Compares records by their `path`, in byte order. */
export function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return byteOrder(a.path, b.path);
}
