/**
 * The native walker (src/backup/adapters/native-walker/walker.c, built by node-gyp from source at install): one call reads a
 * directory and lstats every entry relative to its descriptor. Absent when no compiler was there
 * at install (or `WHAT_TO_BACKUP_NATIVE=0`); the caller then uses node:fs.
 * @module
 */
import { createRequire } from 'node:module';
import { getSystemErrorName } from 'node:util';
import type { StatusEntry } from '#backup/domain/ports/file-system.port.js';
import { typeOfMode } from '#backup/adapters/node-fs/type-of-mode.js';

/** The addon's one function: a Buffer of records, or the errno when the directory cannot be read. */
export interface NativeWalker {
  /** Reads the directory at `path` (NUL-terminated bytes). */
  listDirectory(path: Buffer): Buffer | number;
}

/** Where node-gyp puts the addon, from src/ and dist/ alike (both are four folders down). */
const ADDON = new URL('../../../../build/Release/walker.node', import.meta.url);

/** The addon, or undefined when it was not built (or is turned off). */
export function loadNativeWalker(env: Readonly<Record<string, string | undefined>> = {}): NativeWalker | undefined {
  if (env.WHAT_TO_BACKUP_NATIVE === '0') return undefined;
  try {
    return createRequire(import.meta.url)(ADDON.pathname) as NativeWalker;
  } catch {
    return undefined;
  }
}

const NS = 1_000_000_000n;

/** An unknown type reads as a file, as the node:fs adapter's lstat has it. */
function fileTypeOfMode(mode: number) {
  const type = typeOfMode(mode);
  return type === 'unknown' ? 'file' : type;
}

/** One record of the addon's Buffer (layout in src/backup/adapters/native-walker/walker.c), at byte `r`; names start at `names`. */
function entryAt(b: Buffer, r: number, names: number): StatusEntry {
  const name = b.toString('latin1', names + b.readUInt32LE(r), names + b.readUInt32LE(r) + b.readUInt32LE(r + 4));
  const errno = b.readInt32LE(r + 8);
  if (errno !== 0) return { name, stat: undefined, code: getSystemErrorName(-errno), readable: false };
  const mode = b.readUInt32LE(r + 32);
  const stat = {
    type: fileTypeOfMode(mode),
    dev: b.readBigUInt64LE(r + 16),
    ino: b.readBigUInt64LE(r + 24),
    mode: BigInt(mode),
    nlink: b.readBigUInt64LE(r + 48),
    uid: BigInt(b.readUInt32LE(r + 36)),
    gid: BigInt(b.readUInt32LE(r + 40)),
    rdev: b.readBigUInt64LE(r + 56),
    size: b.readBigInt64LE(r + 64),
    mtimeNs: b.readBigInt64LE(r + 72) * NS + b.readBigInt64LE(r + 80),
    ctimeNs: b.readBigInt64LE(r + 88) * NS + b.readBigInt64LE(r + 96),
  };
  return { name, stat, code: undefined, readable: b.readUInt32LE(r + 12) === 1 };
}

/** The entries of the addon's answer; throws an error with the system's `code` when it was an errno. */
export function parseListing(answer: Buffer | number, path: string): StatusEntry[] {
  if (typeof answer === 'number') {
    throw Object.assign(new Error(`${getSystemErrorName(-answer)}: cannot read directory ${JSON.stringify(path)}`), { code: getSystemErrorName(-answer) });
  }
  const count = answer.readUInt32LE(0);
  const size = answer.readUInt32LE(4);
  const names = 8 + count * size;
  const entries: StatusEntry[] = new Array(count);
  for (let i = 0; i < count; i++) entries[i] = entryAt(answer, 8 + i * size, names);
  return entries;
}
