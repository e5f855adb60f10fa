import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnedFile, OwnedFileState } from '#backup/domain/ports/package-database.port.js';
import { RpmQueryReader } from '#backup/domain/rpm/rpm-query-reader.js';

/**
 * The byte parser against a reference written the plainest way: the output as one string, split
 * character by character, every number through BigInt.
 */

/** Splits text into records of unquoted fields, honouring shell single quotes and `\'`. */
function referenceRecords(text: string): string[][] {
  const out: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === "'") quoted = false;
      else field += c;
    } else if (c === "'") quoted = true;
    else if (c === '\\' && text[i + 1] === "'") field += text[++i];
    else if (c === '\t' || c === '\n') {
      fields.push(field);
      field = '';
      if (c === '\n') out.push(fields), (fields = []);
    } else field += c;
  }
  if (quoted || fields.length || field) throw new Error('unfinished');
  return out;
}

const ALGOS: Record<string, OwnedFile['digestAlgo']> = { 1: 'md5', 2: 'sha1', 8: 'sha256', 9: 'sha384', 10: 'sha512', 11: 'sha224' };
const STATES: Record<string, OwnedFileState> = { 0: 'normal', 1: 'replaced', 2: 'not-installed', 3: 'net-shared', 4: 'wrong-color', '-1': 'missing', 255: 'missing' };

function reference(text: string): { packageCount: number; files: OwnedFile[] } {
  let pkg = '';
  let algo = '';
  let packageCount = 0;
  const files: OwnedFile[] = [];
  for (const f of referenceRecords(text)) {
    if (f[0] === 'P') {
      pkg = f[1]!;
      algo = f[2]!;
      packageCount++;
      continue;
    }
    const [, path, size, mode, digest, mtime, linkTarget, user, group, flags, verify, state, rdev] = f as string[];
    const flagBits = BigInt(flags!);
    files.push({
      path: path!,
      package: pkg,
      size: BigInt(size!),
      mode: Number(BigInt.asUintN(16, BigInt(mode!))),
      digest: digest!.toLowerCase(),
      digestAlgo: /^\d+$/.test(algo) ? ALGOS[String(BigInt(algo))] : 'md5',
      mtime: BigInt(mtime!),
      linkTarget: linkTarget!,
      user: user!,
      group: group!,
      rdev: Number(BigInt(rdev!)),
      flags: { config: (flagBits & 1n) !== 0n, doc: (flagBits & 2n) !== 0n, missingOk: (flagBits & 8n) !== 0n, ghost: (flagBits & 64n) !== 0n },
      verifyFlags: Number(BigInt.asUintN(32, BigInt(verify!)) & 0x1ffn),
      state: STATES[state!] ?? 'normal',
    });
  }
  return { packageCount, files };
}

/** rpm's `:shescape`. */
const shescape = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b).toString('latin1'));
/** Name parts full of what could break a record: spaces, tabs, newlines, quotes, backslashes, non-UTF-8 bytes. */
const part = fc.oneof(
  fc.constantFrom('usr', 'lib64', 'a b', 'tab\there', 'new\nline', "it's", "''", 'back\\slash', '\\', 'caf\xe9', '\xff\xfe', 'caf\xc3\xa9', '-'),
  bytes(10).filter((s) => !s.includes('/')),
);
const path = fc.oneof(
  { weight: 8, arbitrary: fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => `/${p.join('/')}`) },
  { weight: 1, arbitrary: fc.constantFrom('/', 'noslash', '', '//x', '/a/') },
);
const hex = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('hex'));
const digest = fc.oneof(
  { weight: 3, arbitrary: hex(16, 64) },
  { weight: 1, arbitrary: hex(16, 32).map((h) => h.toUpperCase()) },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('abc', 'xyz', "a'b", 'a\tb') },
  { weight: 1, arbitrary: hex(256, 300) },
);
const num = (max: bigint) => fc.oneof(fc.bigInt({ min: 0n, max: 4096n }), fc.bigInt({ min: 0n, max })).map(String);
const file = fc.record({
  path,
  size: fc.oneof(num((1n << 64n) - 1n), fc.constant('-1')),
  mode: fc.oneof(num(0xffffn), num((1n << 32n) - 1n)),
  digest,
  mtime: fc.oneof(num((1n << 32n) - 1n), num((1n << 62n) - 1n)),
  link: fc.oneof(fc.constant(''), fc.array(part, { maxLength: 3 }).map((p) => p.join('/'))),
  user: fc.constantFrom('root', 'daemon', 'us er', "o'k", '\xe9'),
  group: fc.constantFrom('root', 'wheel', ''),
  // config 1, doc 2, missingok 8, ghost 64, and anything else rpm may set
  flags: fc.oneof(fc.constantFrom('0', '1', '2', '8', '64', '65', '17', '4294967295'), num((1n << 32n) - 1n)),
  verify: fc.oneof(fc.constantFrom('4294967295', '0', '4294967256', '-1'), num((1n << 32n) - 1n)),
  state: fc.constantFrom('0', '1', '2', '3', '4', '-1', '255', '7', '00'),
  rdev: fc.oneof(num(0xffffffffn), fc.constant('0')),
});
const pkg = fc.record({
  name: fc.oneof(fc.constantFrom('a-1-1.noarch', 'gpg-pubkey-1', "p'q-2"), bytes(12).filter((s) => s !== '')),
  algo: fc.constantFrom('8', '1', '2', '10', '11', '0', '08', '99', '(none)', '-1', '123456789012345678901'),
  files: fc.array(file, { maxLength: 6 }),
});

function render(pkgs: Array<{ name: string; algo?: string; files: Array<Record<string, string>> }>): string {
  const quoted = new Set(['path', 'digest', 'link', 'user', 'group']);
  const order = ['path', 'size', 'mode', 'digest', 'mtime', 'link', 'user', 'group', 'flags', 'verify', 'state', 'rdev'];
  return pkgs
    .map((p) => `P\t${shescape(p.name)}\t${p.algo ?? '8'}\n${p.files.map((f) => `F\t${order.map((k) => (quoted.has(k) ? shescape(f[k]!) : f[k])).join('\t')}\n`).join('')}`)
    .join('');
}

/** Feeds `text` as bytes cut at `cuts` (offsets, any order). */
function read(text: string, cuts: number[]): { packageCount: number; files: OwnedFile[] } {
  const all = Buffer.from(text, 'latin1');
  const at = [...new Set([0, ...cuts.map((c) => c % (all.length + 1)), all.length])].sort((a, b) => a - b);
  const reader = new RpmQueryReader();
  for (let i = 1; i < at.length; i++) reader.feed(Buffer.from(all.subarray(at[i - 1], at[i])));
  reader.end();
  return { packageCount: reader.packageCount, files: [...reader.files] };
}

describe('reading the bulk rpm query from its bytes', () => {
  it('reads what a plain reference reads, however the output is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(pkg, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (pkgs, cuts) => {
        const text = render(pkgs);
        expect(read(text, cuts)).toEqual(reference(text));
      }),
      { numRuns: 400 },
    );
  });

  it('reads a large answer the same, with the room made at once for its records once it outgrows a small table', () => {
    const big = fc.record({ name: pkg.map((p) => p.name), algo: fc.constantFrom('8', '10', '1'), files: fc.array(file, { minLength: 400, maxLength: 900 }) });
    fc.assert(
      fc.property(fc.array(big, { minLength: 2, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 40 }), (pkgs, cuts) => {
        const text = render(pkgs);
        expect(read(text, cuts)).toEqual(reference(text));
      }),
      { numRuns: 6 },
    );
  });

  it('reads every byte of a name: spaces, tabs, newlines, quotes and non-UTF-8 bytes', () => {
    const names = ['/a b/c d', '/t\tb', '/n\nl', "/q'/'q", '/caf\xe9', '/\xff\xfe/\x80', '/back\\slash/\\'];
    const text = render([{ name: 'p-1', files: names.map((path) => ({ path, size: '1', mode: '33188', digest: 'AB', mtime: '1', link: '', user: 'root', group: 'root', flags: '0', verify: '4294967295', state: '0', rdev: '0' })) }]);
    for (let cut = 0; cut <= text.length; cut++) expect(read(text, [cut]).files.map((f) => f.path)).toEqual(names);
    expect(read(text, []).files[0]!.digest).toBe('ab');
  });

  it('reads ghost and config files, and counts packages that own none', () => {
    const base = { size: '0', mode: '33188', digest: '', mtime: '1', link: '', user: 'root', group: 'root', verify: '4294967295', state: '0', rdev: '0' };
    const text = render([
      { name: 'gpg-pubkey-1', files: [] },
      { name: 'a-1', files: [{ ...base, path: '/var/log/a', flags: '64' }, { ...base, path: '/etc/a.conf', flags: '17' }] },
      { name: 'b-1', files: [] },
    ]);
    const { packageCount, files } = read(text, [7, 50]);
    expect(packageCount).toBe(3);
    expect(files.map((f) => [f.path, f.flags.ghost, f.flags.config])).toEqual([
      ['/var/log/a', true, false],
      ['/etc/a.conf', false, true],
    ]);
  });
});
