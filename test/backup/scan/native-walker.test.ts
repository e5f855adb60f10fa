import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNativeWalker, parseListing } from '#backup/adapters/native-walker/native-walker.js';
import { statWords, WORDS } from '#backup/adapters/digest-cache/cache-key.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { scan } from '#backup/scan/scan.js';
import { byName } from '#backup/domain/paths/byte-order.js';
import { fileStat, type StatusEntry } from '#backup/domain/ports/file-system.port.js';

const top = mkdtempSync(join(tmpdir(), 'cave-native-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const native = loadNativeWalker() ?? null;

/** A name of any bytes but `/` and NUL, never `.` or `..`: often not valid UTF-8. */
const name = fc
  .uint8Array({ minLength: 1, maxLength: 12 })
  .map((b) => Buffer.from(b.map((x) => (x === 0 || x === 47 ? 120 : x))).toString('latin1'))
  .filter((n) => n !== '.' && n !== '..');

type Node = { kind: 'file'; size: number; mode: number } | { kind: 'dir'; mode: number; children: Array<[string, Node]> } | { kind: 'symlink'; target: string } | { kind: 'fifo' } | { kind: 'hardlink' };

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('file' as const), size: fc.nat(300), mode: fc.constantFrom(0o644, 0o600, 0o000, 0o755) }),
    fc.record({ kind: fc.constant('dir' as const), mode: fc.constantFrom(0o755, 0o700, 0o000, 0o311), children: fc.uniqueArray(fc.tuple(name, tie('node')), { maxLength: 5, selector: ([n]) => n }) }),
    fc.record({ kind: fc.constant('symlink' as const), target: name }),
    fc.constant({ kind: 'fifo' as const }),
    fc.constant({ kind: 'hardlink' as const }),
  ),
})).node;

const host = (path: string) => Buffer.from(path, 'latin1');

/** Makes the tree on disk; directories get their mode last, so their content can be written. */
function make(path: string, n: Node, anyFile: string): void {
  if (n.kind === 'file') writeFileSync(host(path), 'x'.repeat(n.size), { mode: n.mode });
  else if (n.kind === 'symlink') symlinkSync(host(n.target), host(path));
  else if (n.kind === 'fifo') {
    // mkfifo takes its path as text: made under a plain name, then renamed to the odd one.
    execFileSync('mkfifo', [join(top, 'fifo')]);
    renameSync(join(top, 'fifo'), host(path));
  }
  else if (n.kind === 'hardlink') linkSync(anyFile, host(path));
  else {
    mkdirSync(host(path));
    for (const [child, sub] of n.children) make(`${path}/${child}`, sub, anyFile);
    chmodSync(host(path), n.mode);
  }
}

async function entries(fs: NodeFileSystem): Promise<ScannedEntry[]> {
  const seen: ScannedEntry[] = [];
  await scan({
    fs,
    digester: { digest: async () => ({ ok: false, code: 'EINVAL' }) },
    accounts: { userName: () => 'root', groupName: () => 'root', uidOf: () => 0n, gidOf: () => 0n },
    onEntry: (e) => seen.push(e),
  });
  return seen;
}

describe('the native walker', () => {
  it('is built from source at install, with the headers Node ships', () => {
    expect(native).not.toBeNull();
    expect(new NodeFileSystem('/').listWithStatus).toBeTypeOf('function');
  });

  it('gives exactly the entries the node:fs walk gives, on real trees of odd names, links, FIFOs and unreadable folders', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(name, node), { maxLength: 6, selector: ([n]) => n }), async (children) => {
        const root = join(top, `t${run++}`);
        mkdirSync(root);
        writeFileSync(join(root, 'first'), 'linked');
        for (const [child, sub] of children) make(`${root}/${child}`, sub, join(root, 'first'));
        const viaNative = await entries(new NodeFileSystem(root, '/proc/self/mountinfo', native));
        const viaNode = await entries(new NodeFileSystem(root, '/proc/self/mountinfo', null));
        expect(new NodeFileSystem(root, '/proc/self/mountinfo', null).listWithStatus).toBeUndefined(); // the node:fs walk indeed
        expect(viaNative).toEqual(viaNode);
        // Told access(2) may go unasked (as root it may: access-known.ts) or not: the same entries.
        expect(await entries(new NodeFileSystem(root, '/proc/self/mountinfo', native, true))).toEqual(viaNode);
        expect(await entries(new NodeFileSystem(root, '/proc/self/mountinfo', native, false))).toEqual(viaNode);
        // Every field of every status, not only what an entry carries.
        const fast = new NodeFileSystem(root, '/proc/self/mountinfo', native);
        const slow = new NodeFileSystem(root, '/proc/self/mountinfo', null);
        // Read ahead on the addon's thread, taken in the walk's order.
        const ahead = fast.readAhead('/', { oneFileSystem: true, mounts: new Set() })!;
        for (const dir of viaNode.filter((e) => e.kind === 'directory' && e.class !== 'unreadable')) {
          const expected = slow.list(dir.path).map(({ name }) => {
            const stat = slow.lstat(`${dir.path === '/' ? '' : dir.path}/${name}`);
            const readable = stat.type === 'symlink' || slow.canRead(`${dir.path === '/' ? '' : dir.path}/${name}`, stat.type === 'directory' ? 'directory' : 'file');
            return { name, stat, code: undefined, readable };
          });
          // The native stat reads its fields when asked: copied out, every one is compared.
          const copied = (list: StatusEntry[]) => list.map((e) => ({ name: e.name, stat: e.stat && fileStat(e.stat.type, e.stat), code: e.code, readable: e.readable })).sort(byName);
          expect(copied(fast.listWithStatus!(dir.path))).toEqual(expected.sort(byName));
          // The link count as a number, which the walk reads instead of the bigint.
          for (const e of fast.listWithStatus!(dir.path)) if (e.stat) expect(e.stat.links).toBe(Number(e.stat.nlink));
          // Each path whole from the addon, as the walk would join it.
          for (const e of fast.listWithStatus!(dir.path)) expect(e.path).toBe(`${dir.path === '/' ? '' : dir.path}/${e.name}`);
          // Read ahead, on the reader's thread: the same listing.
          expect(copied(ahead.take(dir.path)!)).toEqual(expected);
        }
        ahead.close();
        expect(viaNative.length).toBeGreaterThan(1);
        execFileSync('chmod', ['-R', 'u+rwx', root]);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a listing that does not start on a 4-byte boundary as one that does', () => {
    const dir = join(top, 'unaligned');
    mkdirSync(dir);
    for (const n of ['a', 'b\xff', 'c'.repeat(40)]) writeFileSync(host(`${dir}/${n}`), 'x'.repeat(n.length));
    const answer = native!.listDirectory(Buffer.from(`${dir}\0`, 'latin1'));
    if (typeof answer === 'number') throw new Error(`errno ${answer}`);
    const shifted = Buffer.alloc(answer.length + 1).subarray(1);
    answer.copy(shifted);
    const fields = (list: StatusEntry[]) => list.map((e) => ({ name: e.name, stat: e.stat && { ...fileStat(e.stat.type, e.stat), links: e.stat.links }, code: e.code, readable: e.readable }));
    expect(shifted.byteOffset % 4).not.toBe(0);
    expect(fields(parseListing(shifted, '/unaligned'))).toEqual(fields(parseListing(answer, '/unaligned')));
    expect(parseListing(shifted, '/unaligned').map((e) => e.stat?.size)).toEqual([1n, 2n, 40n]);
  });

  it('puts the prefix it is given before each name, so each path comes whole; without it, names alone', async () => {
    const dir = join(top, 'prefixed');
    mkdirSync(dir);
    for (const n of ['b\xff\x01', 'a', 'c'.repeat(30)]) writeFileSync(host(`${dir}/${n}`), '');
    const path = Buffer.from(`${dir}\0`, 'latin1');
    const prefix = Buffer.from('/some/\xe9/', 'latin1');
    const expected = ['a', 'b\xff\x01', 'c'.repeat(30)];
    const whole = (list: StatusEntry[]) => list.map((e) => [e.name, e.path]);
    const withPaths = expected.map((n) => [n, `/some/\xe9/${n}`]);
    expect(whole(parseListing(native!.listDirectory(path, false, prefix), '/some/\xe9', prefix))).toEqual(withPaths);
    // An addon that put no prefix (one built before it was added): the names alone, whatever the caller hoped.
    expect(whole(parseListing(native!.listDirectory(path), '/some/\xe9', prefix))).toEqual(expected.map((n) => [n, undefined]));
  });

  it('lists a folder in byte order, read ahead too, whatever order the disk keeps', () => {
    const dir = join(top, 'ordered');
    mkdirSync(dir);
    const names = ['b', 'a', 'ab', 'aa', 'A', '\xff', '\xe9t\xe9', '\x01', '~', 'a b', 'a\xff', 'Z'];
    for (const n of names) writeFileSync(host(`${dir}/${n}`), '');
    const fs = new NodeFileSystem(top, '/proc/self/mountinfo', native);
    const sorted = [...names].sort((a, b) => byName({ name: a }, { name: b }));
    expect(fs.listWithStatus!('/ordered').map((e) => e.name)).toEqual(sorted);
    const ahead = fs.readAhead('/ordered', { oneFileSystem: true, mounts: new Set() })!;
    expect(ahead.take('/ordered')!.map((e) => e.name)).toEqual(sorted);
    ahead.close();
    // Which the walk takes on trust, sorting nothing; the node:fs walk's listings it sorts.
    expect(fs.listsInByteOrder).toBe(true);
    expect(new NodeFileSystem(top, '/proc/self/mountinfo', null).listsInByteOrder).toBe(false);
  });

  it('reports a folder it cannot open with the code node:fs gives', () => {
    const fs = new NodeFileSystem(top, '/proc/self/mountinfo', native);
    expect(() => fs.listWithStatus!('/no such folder')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    writeFileSync(join(top, 'plain'), '');
    expect(() => fs.listWithStatus!('/plain')).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('reports a folder it cannot open, read ahead, with the same code', () => {
    const fs = new NodeFileSystem(top, '/proc/self/mountinfo', native);
    writeFileSync(join(top, 'plain'), '');
    for (const [folder, code] of [['/no such folder', 'ENOENT'], ['/plain', 'ENOTDIR']] as const) {
      const ahead = fs.readAhead(folder, { oneFileSystem: true, mounts: new Set() })!;
      expect(() => ahead.take(folder)).toThrow(expect.objectContaining({ code }));
      ahead.close();
    }
  });
});

describe("a listing record's digest cache key", () => {
  it('is the same ten words whether read from its bytes or from its bigint fields: any 64-bit value, times before 1970', () => {
    const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 64n - 1n));
    const i64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(-(2n ** 63n), -1n, 0n, 1n, 2n ** 32n, -(2n ** 32n), 2n ** 63n - 1n));
    const seconds = fc.oneof(i64, fc.bigInt({ min: -(2n ** 35n), max: 2n ** 35n }));
    const nanoseconds = fc.oneof(fc.bigInt({ min: 0n, max: 999_999_999n }), fc.constantFrom(0n, 999_999_999n, 1_000_000_000n, 2n ** 32n, -1n));
    fc.assert(
      fc.property(u64, u64, i64, seconds, nanoseconds, seconds, nanoseconds, (dev, ino, size, mtime, mtimeNsec, ctime, ctimeNsec) => {
        // One record as walker.c lays it out: count and record size, then the record, then the names.
        const b = Buffer.alloc(8 + 104 + 1);
        b.writeUInt32LE(1, 0);
        b.writeUInt32LE(104, 4);
        const r = 8;
        b.writeUInt32LE(0, r); // the name's offset
        b.writeUInt32LE(1, r + 4); // and length
        b.writeUInt32LE(0o100644, r + 32);
        b.writeBigUInt64LE(dev, r + 16);
        b.writeBigUInt64LE(ino, r + 24);
        b.writeBigInt64LE(size, r + 64);
        b.writeBigInt64LE(mtime, r + 72);
        b.writeBigInt64LE(mtimeNsec, r + 80);
        b.writeBigInt64LE(ctime, r + 88);
        b.writeBigInt64LE(ctimeNsec, r + 96);
        b.write('a', 8 + 104, 'latin1');
        const stat = parseListing(b, '/')[0]!.stat!;
        expect(stat.words).toBeDefined();
        const fromBytes = new Uint32Array(WORDS);
        stat.words!(fromBytes);
        const fromFields = new Uint32Array(WORDS);
        statWords({ ...fileStat('file', stat) }, fromFields);
        expect([...fromBytes]).toEqual([...fromFields]);
        // The same through the cache's own reading of a stat.
        const viaStat = new Uint32Array(WORDS);
        statWords(stat, viaStat);
        expect([...viaStat]).toEqual([...fromFields]);
      }),
      { numRuns: 5000 },
    );
  });
});
