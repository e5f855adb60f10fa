import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { VERIFY_ALL } from '#backup/domain/verify/verify-flags.js';

/** A regular file record as rpm would store it, with overrides. */
export function owned(over: Partial<OwnedFile> = {}): OwnedFile {
  return {
    path: '/usr/bin/tool',
    package: 'tool-1.0-1.noarch',
    size: 5n,
    mode: 0o100755,
    digest: 'aa11',
    digestAlgo: 'sha256',
    mtime: 1000n,
    linkTarget: '',
    user: 'root',
    group: 'root',
    rdev: 0,
    flags: { config: false, ghost: false, doc: false, missingOk: false },
    verifyFlags: VERIFY_ALL,
    state: 'normal',
    ...over,
  };
}

/** An lstat that matches `owned()`, with overrides. */
export function stat(over: Partial<FileStat> = {}): FileStat {
  return {
    type: 'file',
    dev: 1n,
    ino: 2n,
    mode: 0o100755n,
    nlink: 1n,
    uid: 0n,
    gid: 0n,
    rdev: 0n,
    size: 5n,
    mtimeNs: 1000_500_000_000n,
    ctimeNs: 1000_000_000_000n,
    ...over,
  };
}

/** root (0) and a user `alice` (1000) with group `staff` (50). */
export const accounts: AccountsPort = {
  userName: (uid) => ({ 0: 'root', 1000: 'alice' })[Number(uid)],
  groupName: (gid) => ({ 0: 'root', 50: 'staff' })[Number(gid)],
  uidOf: (name) => ({ root: 0n, alice: 1000n } as Record<string, bigint>)[name],
  gidOf: (name) => ({ root: 0n, staff: 50n } as Record<string, bigint>)[name],
};
