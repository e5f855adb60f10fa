/**
 * One file record of the bulk query, read from its fields as text: the general way, exact for any
 * value rpm may print (the common records take the faster way of rpm-file-row.ts).
 * @module
 */
import type { OwnedFile, OwnedFileState } from '#backup/domain/ports/package-database.port.js';
import type { DigestAlgo } from '#backup/domain/ports/digest.port.js';
import { FileFlag, VERIFY_ALL } from '#backup/domain/verify/verify-flags.js';
import { RpmQueryError } from './rpm-query-error.js';

const states: Record<string, OwnedFileState> = {
  '0': 'normal',
  '1': 'replaced',
  '2': 'not-installed',
  '3': 'net-shared',
  '4': 'wrong-color',
};

/** rpm's FILESTATES value as a state; -1 and 255 (no state recorded) read as missing. */
export function fileState(state: string): OwnedFileState {
  return (Object.hasOwn(states, state) ? states[state] : undefined) ?? (state === '-1' || state === '255' ? 'missing' : 'normal');
}

const DECIMAL = /^-?\d+$/;

function integer(text: string | undefined, what: string): bigint {
  if (text === undefined || !DECIMAL.test(text)) throw new RpmQueryError(`rpm query: bad ${what} ${JSON.stringify(text)}`);
  // Number then BigInt is several times faster than BigInt(text); exact while the value is safe.
  const n = Number(text);
  return Number.isSafeInteger(n) ? BigInt(n) : BigInt(text);
}

/** A field that always fits a double exactly (modes, flags, device numbers). */
function smallInteger(text: string | undefined, what: string): number {
  if (text === undefined || !DECIMAL.test(text)) throw new RpmQueryError(`rpm query: bad ${what} ${JSON.stringify(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number(BigInt(text));
}

/** rpm's verify flags, read as the unsigned 32-bit value they are, limited to the known checks. */
function verifyFlags(text: string | undefined): number {
  const n = smallInteger(text, 'verify flags');
  // The low bits of a safe integer are exact: & takes them as the unsigned conversion would.
  return Number.isSafeInteger(n) ? n & VERIFY_ALL : Number(BigInt.asUintN(32, integer(text, 'verify flags')) & BigInt(VERIFY_ALL));
}

/** The record of an `F` line's fields (unquoted, the `F` first) for the package `pkg`, whose digests are `algo`'s. */
export function ownedFile(f: readonly string[], pkg: string, algo: DigestAlgo | undefined): OwnedFile {
  const [, path, size, mode, digest, mtime, link, user, group, flags, verify, state, rdev] = f as [string, ...string[]];
  const fileFlags = smallInteger(flags, 'file flags');
  return {
    path: path!,
    package: pkg,
    size: integer(size, 'size'),
    mode: smallInteger(mode, 'mode') & 0xffff,
    digest: digest!.toLowerCase(),
    digestAlgo: algo,
    mtime: integer(mtime, 'mtime'),
    linkTarget: link!,
    user: user!,
    group: group!,
    rdev: smallInteger(rdev, 'rdev'),
    flags: {
      config: (fileFlags & FileFlag.CONFIG) !== 0,
      doc: (fileFlags & FileFlag.DOC) !== 0,
      ghost: (fileFlags & FileFlag.GHOST) !== 0,
      missingOk: (fileFlags & FileFlag.MISSINGOK) !== 0,
    },
    verifyFlags: verifyFlags(verify),
    state: fileState(state!),
  };
}
