/**
 * Random package-database records for property tests: every field at its edges (byte-string
 * paths of any shape, bigints past 64 bits, digests that are not hex, modes and devices that do
 * not fit the table's columns).
 * @module
 */
import fc from 'fast-check';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';

const byteString = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString('latin1'));
const bigint = fc.oneof(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }));
const digest = fc.oneof(fc.constant(''), fc.uint8Array({ minLength: 16, maxLength: 64 }).map((b) => Buffer.from(b).toString('hex')), fc.constantFrom('ABCDEF', 'abc', 'not hex'));

/** Any record; with `byteStrings`, only paths of one byte per character (no `\u2603`), as a real database gives. */
export function ownedFileArbitrary(options: { byteStrings?: boolean } = {}): fc.Arbitrary<OwnedFile> {
  const path = fc.oneof(
    fc.array(byteString(12).filter((s) => !s.includes('/')), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
    byteString(20),
    fc.constantFrom('/', '/.', '//x', 'relative', options.byteStrings ? '/caf\u00e9/x' : '/caf\u00e9/\u2603'),
  );
  return fc.record({
    path,
    package: fc.constantFrom('bash-5.2-1.x86_64', 'glibc-2.38-1.x86_64', 'p\xe9-1'),
    size: bigint,
    mode: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constant(2 ** 40)),
    digest,
    digestAlgo: fc.constantFrom(undefined, 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'),
    mtime: bigint,
    linkTarget: fc.oneof(fc.constant(''), byteString(30)),
    user: fc.constantFrom('root', 'daemon', '\xff'),
    group: fc.constantFrom('root', 'wheel'),
    rdev: fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constant(2 ** 50)),
    flags: fc.record({ config: fc.boolean(), ghost: fc.boolean(), doc: fc.boolean(), missingOk: fc.boolean() }),
    verifyFlags: fc.oneof(fc.integer({ min: 0, max: 0x1ff }), fc.constant(-1)),
    state: fc.constantFrom('normal', 'replaced', 'not-installed', 'net-shared', 'wrong-color', 'missing'),
  });
}
