import { classifyOwned } from '#backup/domain/verify/classify-owned.js';
import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestPort } from '#backup/domain/ports/digest.port.js';
import { errorCode, type FileStat, type FileSystemPort } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';
import { needsDigest, verifyFile, type Observation, type VerifyOutcome } from '#backup/domain/verify/verify-file.js';
import { Verify } from '#backup/domain/verify/verify-flags.js';

/** One owned path that differs from what its package recorded, as `dpkg --verify` lists it. */
export interface PackageFileVerdict {
  /** Where the file really is (directory symlinks resolved, diversions applied). */
  readonly path: string;
  /** The owning package as `dpkg -S` names it. */
  readonly package: string;
  /** A conffile (dpkg marks it `c`). */
  readonly config: boolean;
  /** Not on disk at all. */
  readonly missing: boolean;
  /** Failed tests as `Verify` bits (0 when missing). */
  readonly result: number;
  /** The scanner's reason text, e.g. `..5......` or `....L....`. */
  readonly reason: string;
}

/** dpkg's records test no owner or group, so no account lookup is ever needed. */
const noAccounts: AccountsPort = {
  userName: () => undefined,
  groupName: () => undefined,
  uidOf: () => undefined,
  gidOf: () => undefined,
};

/** lstat's answer; undefined when the path is gone; the error code when it cannot be looked at. */
function look(fs: FileSystemPort, path: string): FileStat | undefined | string {
  try {
    return fs.lstat(path);
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : code;
  }
}

/**
 * Checks the given package files in place, without walking anything else: what `dpkg --verify`
 * does for the packages they come from, with the scanner's own per-file tests, hashing through
 * `digester` (worker threads, each file read once). Returns only the paths that fail.
 */
export async function verifyPackageFiles(
  files: readonly OwnedFile[],
  fs: FileSystemPort,
  digester: DigestPort,
  accounts: AccountsPort = noAccounts,
): Promise<PackageFileVerdict[]> {
  const readlink = (path: string) => {
    try {
      return fs.readlink(path);
    } catch {
      return undefined;
    }
  };
  const resolve = createPathResolver((path) => {
    const stat = look(fs, path);
    return typeof stat === 'object' && stat.type === 'symlink' ? readlink(path) : undefined;
  });
  const checks = files.map(async (record): Promise<PackageFileVerdict | undefined> => {
    const path = resolve(record.path);
    const base = { path, package: record.package, config: record.flags.config };
    const stat = look(fs, path);
    // Never dropped silently: a path that cannot be looked at is reported with the reason.
    if (typeof stat === 'string') return { ...base, missing: false, result: Verify.READFAIL, reason: stat };
    let linkTarget: string | undefined;
    if (stat?.type === 'symlink' && record.verifyFlags & Verify.LINKTO) linkTarget = readlink(path);
    const digest = needsDigest(record, stat) ? await digester.digest(path, record.digestAlgo!) : undefined;
    const seen: Observation = { stat, linkTarget, digest };
    const outcome: VerifyOutcome = verifyFile(record, seen, accounts);
    const verdict = outcome.missing ? undefined : classifyOwned([record], [outcome]);
    if (!outcome.missing && verdict?.class === 'unmodified') return undefined;
    return { ...base, missing: outcome.missing, result: outcome.result, reason: outcome.missing ? 'missing' : (verdict?.reason ?? '') };
  });
  return (await Promise.all(checks)).filter((v): v is PackageFileVerdict => v !== undefined);
}
