import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat, FileType } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { classifyOwned, type OwnedVerdict } from '#backup/domain/verify/classify-owned.js';
import { PlainVerdicts, READ } from '#backup/domain/verify/plain-verdicts.js';
import { needsDigest, verifyFile } from '#backup/domain/verify/verify-file.js';
import { Verify } from '#backup/domain/verify/verify-flags.js';

const users = new Map<string, bigint>([['root', 0n], ['daemon', 1n], ['42', 7n]]);
const groups = new Map<string, bigint>([['root', 0n], ['wheel', 10n]]);
const nameOf = (ids: Map<string, bigint>, id: bigint) => [...ids].find(([, v]) => v === id)?.[0];
const accounts: AccountsPort = {
  userName: (uid) => nameOf(users, uid),
  groupName: (gid) => nameOf(groups, gid),
  uidOf: (name) => users.get(name),
  gidOf: (name) => groups.get(name),
};

const TYPES: ReadonlyArray<[FileType, number]> = [
  ['file', 0o100000], ['directory', 0o040000], ['symlink', 0o120000], ['char-device', 0o020000],
  ['block-device', 0o060000], ['fifo', 0o010000], ['socket', 0o140000],
];
const edge = (around: bigint) => fc.bigInt({ min: around - 2n, max: around + 2n });
/** Sizes and mtimes: small, around 2^53 either sign, far beyond, negative. */
const wide = fc.oneof(fc.bigInt({ min: 0n, max: 5n }), edge(1n << 53n), edge(-(1n << 53n)), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.constant(1_700_000_000n));
const modeOf = fc.oneof(
  fc.tuple(fc.constantFrom(...TYPES), fc.integer({ min: 0, max: 0o7777 })).map(([[, bits], perm]) => bits | perm),
  fc.constantFrom(0, 0o100644, 0o040755, 2 ** 40 + 0o100644),
);
const hex = fc.uint8Array({ minLength: 16, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));

const anyRecord: fc.Arbitrary<OwnedFile> = fc.record({
  path: fc.constant('/usr/lib/x'),
  package: fc.constant('p-1-1.x86_64'),
  size: wide,
  mode: modeOf,
  digest: fc.oneof(fc.constant(''), hex, hex.map((h) => h.toUpperCase()), fc.constant('not hex')),
  digestAlgo: fc.constantFrom(undefined, 'md5', 'sha256'),
  mtime: wide,
  linkTarget: fc.constantFrom('', 'target'),
  user: fc.constantFrom('root', 'daemon', '42', 'nobody'),
  group: fc.constantFrom('root', 'wheel', 'nogroup'),
  rdev: fc.constantFrom(0, 0x0801),
  flags: fc.record({ config: fc.boolean(), ghost: fc.boolean(), doc: fc.boolean(), missingOk: fc.boolean() }),
  verifyFlags: fc.oneof(fc.constant(0x1ff), fc.integer({ min: 0, max: 0x1ff })),
  state: fc.constantFrom('normal', 'normal', 'replaced', 'not-installed', 'net-shared', 'wrong-color', 'missing'),
});

/** Records of the common case (a normal file or directory, all tested), and any. */
const record = fc.oneof(
  anyRecord,
  anyRecord.chain((r) => fc.record({
    dir: fc.boolean(), perm: fc.integer({ min: 0, max: 0o7777 }), algo: fc.constantFrom('md5', 'sha256' as const), hex,
    verifyFlags: fc.oneof(fc.constant(0x1ff), fc.integer({ min: 0, max: 0x1ff })),
  }).map(({ dir, perm, algo, hex: digest, verifyFlags }): OwnedFile => ({
    ...r, mode: (dir ? 0o040000 : 0o100000) | perm, digest: dir ? '' : digest, digestAlgo: dir ? undefined : algo, linkTarget: '',
    flags: { ...r.flags, ghost: false }, state: 'normal', verifyFlags,
  }))),
);
/** The same value mostly, another sometimes. */
const mostly = <T>(same: T, other: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(same), weight: 6 }, { arbitrary: other, weight: 1 });

/** An lstat near the record: each field the recorded one or another, often at an edge. */
function statNear(r: OwnedFile): fc.Arbitrary<FileStat> {
  const typeOf = (mode: number): FileType => TYPES.find(([, bits]) => (mode & 0o170000) === bits)?.[0] ?? 'file';
  const ns = (s: bigint) => fc.oneof(fc.constantFrom(s * 1_000_000_000n, s * 1_000_000_000n + 999_999_999n, s * 1_000_000_000n - 1n), wide);
  return fc.record({
    mode: mostly(BigInt(r.mode), fc.oneof(modeOf.map(BigInt), fc.constant(BigInt(r.mode) + (1n << 60n)), fc.constant(BigInt(r.mode) - (1n << 16n)))),
    size: mostly(r.size, wide),
    mtimeNs: fc.oneof({ arbitrary: ns(r.mtime), weight: 6 }, { arbitrary: fc.oneof(ns(r.mtime + 1n), ns(-r.mtime)), weight: 1 }),
    uid: mostly(users.get(r.user) ?? 0n, fc.constantFrom(0n, 1n, 7n, 1000n, 1n << 40n)),
    gid: mostly(groups.get(r.group) ?? 0n, fc.constantFrom(0n, 10n, 1000n)),
    rdev: fc.constantFrom(0n, 0x0801n, 0x10801n),
    typeFromMode: mostly(true, fc.constant(false)),
    otherType: fc.constantFrom(...TYPES.map(([t]) => t)),
  }).map(({ typeFromMode, otherType, ...s }) => ({
    type: typeFromMode ? typeOf(Number(s.mode & 0xffffn)) : otherType,
    dev: 1n, ino: 2n, nlink: 1n, ctimeNs: 0n, ...s,
  }));
}

/** What a digest cache may know: nothing, the recorded digest, another, or a read failure. */
const hitOf = (r: OwnedFile) => fc.constantFrom<Array<DigestResult | undefined>>(
  undefined, { ok: true, hex: r.digest.toLowerCase(), size: 0n }, { ok: true, hex: '00', size: 0n }, { ok: false, code: 'EIO' },
);

/** The full check, as the walk runs it for one owner (owned-observer.ts, then verifyFile and classifyOwned). */
function fullVerdict(r: OwnedFile, stat: FileStat, quick: boolean, hit: DigestResult | undefined): OwnedVerdict | 'reads' {
  const wanted = needsDigest(r, stat);
  if (wanted && !quick && hit === undefined) return 'reads';
  const digest = !wanted ? undefined : quick ? { ok: true as const, hex: r.digest.toLowerCase(), size: stat.size } : hit;
  return classifyOwned([r], [verifyFile(r, { stat, linkTarget: 'target', digest }, accounts, 1)]);
}

describe('the plain verdicts straight from the table', () => {
  it('agree with the full check wherever they answer, and answer the common case', () => {
    let answered = 0;
    const cases = fc.record({ r: record, quick: fc.boolean() }).chain(({ r, quick }) => fc.record({ r: fc.constant(r), quick: fc.constant(quick), stat: statNear(r), hit: hitOf(r) }));
    fc.assert(
      fc.property(cases, ({ r, quick, stat, hit }) => {
        const table = OwnedFileTable.from([r]);
        const plain = new PlainVerdicts(table, accounts, quick, { digest: () => Promise.reject(new Error('never read')), known: () => hit });
        const got = plain.verdict(0, stat);
        if (got === undefined) return;
        answered++;
        expect(got === READ ? 'reads' : got).toEqual(fullVerdict(table.at(0), stat, quick, hit));
      }),
      { numRuns: 20_000 },
    );
    expect(answered).toBeGreaterThan(300); // about 800 of 20,000 here: the rest differ somewhere and go to the full check
  });

  it('once the content is read where they said READ, agree with the full check given what the read found', () => {
    let read = 0;
    const found = (r: OwnedFile) => fc.constantFrom<Array<true | DigestResult>>(
      true, { ok: true, hex: r.digest.toLowerCase(), size: 0n }, { ok: true, hex: '00', size: 0n }, { ok: false, code: 'EIO' }, { ok: false, code: 'changed-while-reading' },
    );
    const cases = record.chain((r) => fc.record({ r: fc.constant(r), stat: statNear(r), found: found(r) }));
    fc.assert(
      fc.property(cases, ({ r, stat, found: answer }) => {
        const table = OwnedFileTable.from([r]);
        const plain = new PlainVerdicts(table, accounts, false, { digest: () => Promise.reject(new Error('never read')) });
        if (plain.verdict(0, stat) !== READ) return;
        read++;
        // `true` is the check's answer for the recorded digest: what a digest equal to it gives.
        const digest = answer === true ? { ok: true as const, hex: r.digest.toLowerCase(), size: stat.size } : answer;
        expect(plain.afterRead(0, stat, answer)).toEqual(fullVerdict(table.at(0), stat, false, digest));
      }),
      { numRuns: 20_000 },
    );
    expect(read).toBeGreaterThan(100);
  });

  it('answers an unchanged file, a directory and a cached digest without a record', () => {
    const r: OwnedFile = {
      path: '/usr/bin/x', package: 'p', size: 5n, mode: 0o100755, digest: 'ab'.repeat(16), digestAlgo: 'md5', mtime: 1_700_000_000n, linkTarget: '',
      user: 'root', group: 'root', rdev: 0, flags: { config: false, ghost: false, doc: false, missingOk: false }, verifyFlags: 0x1ff, state: 'normal',
    };
    const dir: OwnedFile = { ...r, path: '/usr/bin', size: 4096n, mode: 0o040755, digest: '', digestAlgo: undefined };
    const table = OwnedFileTable.from([r, dir]);
    const stat: FileStat = { type: 'file', dev: 1n, ino: 2n, mode: 0o100755n, nlink: 1n, uid: 0n, gid: 0n, rdev: 0n, size: 5n, mtimeNs: 1_700_000_000_123_456_789n, ctimeNs: 0n };
    const dirStat: FileStat = { ...stat, type: 'directory', mode: 0o040755n, size: 4096n };
    let hit: DigestResult | undefined;
    const cached = new PlainVerdicts(table, accounts, false, { digest: () => Promise.reject(new Error('never read')), known: () => hit });
    expect(new PlainVerdicts(table, accounts, true, undefined).verdict(0, stat)).toEqual({ class: 'unmodified' });
    expect(cached.verdict(1, dirStat)).toEqual({ class: 'unmodified' });
    expect(cached.verdict(0, stat)).toBe(READ); // not cached: the content is to be read
    const touched = { ...stat, mtimeNs: 1_699_999_999_999_999_999n };
    hit = { ok: true, hex: r.digest, size: 5n };
    expect(cached.verdict(0, stat)).toEqual({ class: 'unmodified' });
    expect(cached.verdict(0, touched)).toEqual({ class: 'unmodified' }); // the digest decides, as rpm's verdict does
    hit = { ok: true, hex: 'cd'.repeat(16), size: 5n };
    expect(cached.verdict(0, stat)).toEqual({ class: 'modified', reason: '..5......' });
    expect(cached.verdict(0, touched)).toEqual({ class: 'modified', reason: '..5....T.' });
    // A device where a file is recorded, its mode not tested: rpm still flags the device number.
    const noMode = OwnedFileTable.from([{ ...r, verifyFlags: 0x1ff & ~Verify.MODE }]);
    expect(new PlainVerdicts(noMode, accounts, true, undefined).verdict(0, { ...stat, mode: 0o020755n })).toBeUndefined();
  });
});
