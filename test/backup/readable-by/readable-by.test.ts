import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileStat, FileType } from '../../../src/backup/domain/ports.js';
import { maySearch, missingOnEntry, permitted, readerFrom, type Reader } from '../../../src/backup/domain/readable-by.js';

const user: Reader = { name: 'me', uid: 1000n, gids: new Set([1000n, 27n]) };
const root: Reader = { name: 'root', uid: 0n, gids: new Set([0n]) };
const stat = (type: FileType, mode: number, uid = 0n, gid = 0n): FileStat => ({
  type,
  mode: BigInt(mode),
  uid,
  gid,
  dev: 1n,
  ino: 1n,
  nlink: 1n,
  rdev: 0n,
  size: 0n,
  mtimeNs: 0n,
  ctimeNs: 0n,
});

describe('what a user may read', () => {
  it('applies the owner bits to the owner only, the group bits to members, the rest to others', () => {
    expect(permitted(user, stat('file', 0o600, 1000n), 4)).toBe(true);
    expect(permitted(user, stat('file', 0o044, 1000n, 1000n), 4)).toBe(false); // the owner gets owner bits, even if others may
    expect(permitted(user, stat('file', 0o640, 0n, 27n), 4)).toBe(true); // a supplementary group
    expect(permitted(user, stat('file', 0o640, 0n, 0n), 4)).toBe(false);
    expect(permitted(user, stat('file', 0o604, 0n, 0n), 4)).toBe(true);
  });

  it('needs read on a file, read and search on a folder, nothing more on a symlink', () => {
    expect(missingOnEntry(user, stat('file', 0o200, 1000n))).toBe('read');
    expect(missingOnEntry(user, stat('directory', 0o711))).toBe('list');
    expect(missingOnEntry(user, stat('directory', 0o755))).toBeUndefined();
    expect(missingOnEntry(user, stat('symlink', 0o000))).toBeUndefined();
    expect(maySearch(user, stat('directory', 0o711))).toBe(true);
    expect(maySearch(user, stat('directory', 0o750))).toBe(false);
    expect(maySearch(user, stat('file', 0o755))).toBe(false);
  });

  it('lets root read anything, and never grants what no bit allows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o777 }), fc.bigInt({ min: 0n, max: 2000n }), fc.bigInt({ min: 0n, max: 2000n }), (mode, uid, gid) => {
        const s = stat('file', mode, uid, gid);
        expect(permitted(root, s, 4 | 1)).toBe(true);
        if ((mode & 0o444) === 0) expect(permitted(user, s, 4)).toBe(false);
        if ((mode & 0o004) !== 0 && uid !== user.uid && !user.gids.has(gid)) expect(permitted(user, s, 4)).toBe(true);
      }),
    );
  });
});

describe('finding the user in the system files', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\nme:x:1000:1000::/home/me:/bin/sh\nbroken:x:abc:1::/:/bin/sh\n';
  const group = 'root:x:0:\nsudo:x:27:me,other\nme:x:1000:\nstaff:x:50:other\n';

  it('collects the primary and supplementary groups, by name or number', () => {
    expect(readerFrom('me', passwd, group)).toEqual({ name: 'me', uid: 1000n, gids: new Set([1000n, 27n]) });
    expect(readerFrom('1000', passwd, group)?.name).toBe('me');
  });

  it('knows no unknown or malformed user', () => {
    expect(readerFrom('nobody', passwd, group)).toBeUndefined();
    expect(readerFrom('broken', passwd, group)).toBeUndefined();
    expect(readerFrom('4242', passwd, group)).toBeUndefined();
    expect(readerFrom('short', 'short:x:5\n', group)).toBeUndefined();
  });
});
