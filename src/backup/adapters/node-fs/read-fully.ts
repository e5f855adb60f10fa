import { readSync } from 'node:fs';

/** Reads all of `into` from `position` of the open file `fd`; false when the file ends first (a short read is read on). */
export function readFully(fd: number, into: NodeJS.ArrayBufferView, position: number): boolean {
  for (let at = 0; at < into.byteLength; ) {
    const n = readSync(fd, into, at, into.byteLength - at, position + at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}
