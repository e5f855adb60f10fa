import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Reads all of `into` from `position` of the open file `fd`; false when the file ends first (a short read is read on). */
export function readFully(fd: number, into: NodeJS.ArrayBufferView, position: number): boolean {
  for (let at = 0; at < into.byteLength; ) {
    const n = readSync(fd, into, at, into.byteLength - at, position + at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

/** `readFully` on libuv's pool, through an open `FileHandle`. */
export async function readFullyLater(file: FileHandle, into: Uint8Array, position: number): Promise<boolean> {
  for (let at = 0; at < into.length; ) {
    const { bytesRead } = await file.read(into, at, into.length - at, position + at);
    if (bytesRead === 0) return false;
    at += bytesRead;
  }
  return true;
}
