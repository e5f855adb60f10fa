import { describe, expect, it } from 'vitest';
import { needsDigest, verifyFile } from '#backup/domain/verify/verify-file.js';
import { digestAlgoFromRpm } from '#backup/domain/rpm/rpm-digest-algo.js';
import { FileFlag, Verify, verifyString } from '#backup/domain/verify/verify-flags.js';
import { parseVerifyString } from './verify-string.js';
import { errorCode } from '#backup/domain/ports/file-system.port.js';
import { accounts, owned, stat } from '#test/backup/scan/owned-file.js';

const ok = (hex = 'aa11') => ({ ok: true as const, hex, size: 5n });
const flags = (record = owned(), seen: Parameters<typeof verifyFile>[1] = { stat: stat(), digest: ok() }, owners = 1) =>
  verifyString(verifyFile(record, seen, accounts, owners).result);

describe('verifyFile, as rpm -V', () => {
  it('passes an intact file', () => {
    expect(flags()).toBe('.........');
  });

  it('flags a same-size content change as a digest difference', () => {
    expect(flags(owned(), { stat: stat(), digest: ok('bb22') })).toBe('..5......');
  });

  it('flags a size change with the digest, without needing to read the file', () => {
    expect(needsDigest(owned(), stat({ size: 6n }))).toBe(false);
    expect(flags(owned(), { stat: stat({ size: 6n }) })).toBe('S.5......');
  });

  it('reports an mtime-only difference as T, and drops it when two packages share the path', () => {
    const seen = { stat: stat({ mtimeNs: 2000_000_000_000n }), digest: ok() };
    expect(flags(owned(), seen)).toBe('.......T.');
    expect(flags(owned(), seen, 2)).toBe('.........');
  });

  it('flags mode, user and group differences, accepting a match by name or by number', () => {
    expect(flags(owned(), { stat: stat({ mode: 0o100700n }), digest: ok() })).toBe('.M.......');
    expect(flags(owned(), { stat: stat({ uid: 1000n, gid: 50n }), digest: ok() })).toBe('.....UG..');
    expect(flags(owned({ user: 'alice', group: 'staff' }), { stat: stat({ uid: 1000n, gid: 50n }), digest: ok() })).toBe('.........');
    expect(flags(owned({ user: 'ghost-user' }), { stat: stat({ uid: 4242n }), digest: ok() })).toBe('.....U...');
  });

  it('marks content it could not read with ?', () => {
    expect(flags(owned(), { stat: stat(), digest: { ok: false, code: 'EACCES' } })).toBe('..?......');
    expect(flags(owned(), { stat: stat() })).toBe('..?......');
  });

  it('flags a digest when the package recorded none or an algorithm it cannot compute', () => {
    expect(needsDigest(owned({ digest: '' }), stat())).toBe(false);
    expect(flags(owned({ digest: '' }), { stat: stat() })).toBe('..5......');
    expect(flags(owned({ digestAlgo: undefined }), { stat: stat() })).toBe('..5......');
  });

  it('compares symlink targets, not modes or content', () => {
    const link = owned({ mode: 0o120777, linkTarget: 'a.txt', digest: '', size: 5n });
    const linkStat = stat({ type: 'symlink', mode: 0o120777n });
    expect(needsDigest(link, linkStat)).toBe(false);
    expect(flags(link, { stat: linkStat, linkTarget: 'a.txt' })).toBe('.........');
    expect(flags(link, { stat: linkStat, linkTarget: 'b.txt' })).toBe('....L....');
    expect(flags(link, { stat: linkStat })).toBe('....?....');
  });

  it('flags a file replaced by a directory by its mode only', () => {
    expect(flags(owned(), { stat: stat({ type: 'directory', mode: 0o40755n, size: 4096n }) })).toBe('.M.......');
  });

  it('checks device numbers and kinds', () => {
    const dev = owned({ mode: 0o20644, rdev: 0x0103, digest: '', size: 0n });
    const devStat = (rdev: bigint, mode = 0o20644n) => stat({ type: 'char-device', mode, rdev, size: 0n });
    expect(flags(dev, { stat: devStat(0x0103n) })).toBe('.........');
    expect(flags(dev, { stat: devStat(0x0104n) })).toBe('...D.....');
    expect(flags(dev, { stat: stat({ type: 'block-device', mode: 0o60644n, rdev: 0x0103n, size: 0n }) })).toBe('.M.D.....');
    expect(flags(dev, { stat: stat({ mode: 0o100644n, size: 0n }) })).toBe('.M5D.....');
  });

  it('verifies only the permissions of a %ghost, never its content', () => {
    const ghost = owned({ flags: { config: false, ghost: true, doc: false, missingOk: false }, mode: 0o100644, size: 0n });
    expect(needsDigest(ghost, stat({ mode: 0o100644n, size: 99n }))).toBe(false);
    expect(flags(ghost, { stat: stat({ mode: 0o100644n, size: 99n }) })).toBe('.........');
    expect(flags(ghost, { stat: stat({ type: 'directory', mode: 0o40644n }) })).toBe('.........');
    expect(flags(ghost, { stat: stat({ mode: 0o100600n }) })).toBe('.M.......');
  });

  it('honours the package\'s %verify choices and install states', () => {
    expect(flags(owned({ verifyFlags: Verify.SIZE }), { stat: stat({ mtimeNs: 0n, mode: 0n }) })).toBe('.........');
    expect(verifyFile(owned({ state: 'not-installed' }), { stat: undefined }, accounts)).toEqual({ missing: false, result: 0 });
    expect(verifyFile(owned({ state: 'net-shared' }), { stat: stat({ size: 1n }) }, accounts).result).toBe(0);
    expect(needsDigest(owned({ state: 'net-shared' }), stat())).toBe(false);
    expect(flags(owned({ state: 'replaced' }), { stat: stat({ size: 1n }) })).toBe('.........');
    expect(flags(owned({ state: 'wrong-color' }), { stat: stat({ size: 1n, mode: 0o100600n }) })).toBe('.M.......');
  });

  it('reports a missing path, and a record without a mode as missing, as rpm does', () => {
    expect(verifyFile(owned(), { stat: undefined }, accounts)).toEqual({ missing: true, result: 0 });
    expect(verifyFile(owned({ mode: 0 }), { stat: stat() }, accounts).missing).toBe(true);
  });

  it('hashes only where rpm would', () => {
    expect(needsDigest(owned(), stat())).toBe(true);
    expect(needsDigest(owned(), undefined)).toBe(false);
    expect(needsDigest(owned({ verifyFlags: Verify.DIGEST }), stat({ size: 9n }))).toBe(true);
  });
});

describe('verify strings and algorithms', () => {
  it('round-trips rpm verdict strings', () => {
    for (const text of ['S.5....T.', '.M..L.G..', '..?......', '....?....', 'SM5DLUGTP']) {
      expect(verifyString(parseVerifyString(text))).toBe(text);
    }
  });

  it('reads a ? in a column without a failure marker as that test failing', () => {
    expect(parseVerifyString('?........')).toBe(Verify.SIZE);
  });

  it('names rpm digest algorithms, md5 when none is recorded', () => {
    expect(digestAlgoFromRpm(8)).toBe('sha256');
    expect(digestAlgoFromRpm(undefined)).toBe('md5');
    expect(digestAlgoFromRpm(99)).toBeUndefined();
    expect(FileFlag.GHOST).toBe(64);
  });
});

describe('errorCode', () => {
  it('reads the code a port error carries, EIO otherwise', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('EACCES');
    expect(errorCode(new Error('x'))).toBe('EIO');
    expect(errorCode(null)).toBe('EIO');
  });
});
