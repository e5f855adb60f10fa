/** The native batch digest (digest.c) and the worker threads' JavaScript give the same answers. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import { loadNativeDigest, NativeDigester, type NativeDigest } from '#backup/adapters/digest-workers/native-digester.js';
import type { DigestAlgo, DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import { fileStat, type FileStat } from '#backup/domain/ports/file-system.port.js';

const ALGOS: DigestAlgo[] = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
/** Paths here are host byte strings, one character per byte, as the port's are. */
const host = (path: string) => Buffer.from(path, 'latin1');
let top: string;
let addon: NativeDigest;

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-native-digest-'));
  addon = loadNativeDigest()!;
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

const seenOf = (path: string): FileStat => fileStat('file', lstatSync(host(path), { bigint: true }));

/** Each request answered by both digesters: the worker threads' JavaScript and the addon. */
async function both(requests: readonly { path: string; algo: DigestAlgo; seen?: FileStat }[]): Promise<[DigestResult[], DigestResult[]]> {
  const workers = new WorkerDigester(host, 1);
  const native = new NativeDigester(host, addon);
  const ask = (d: DigestPort) => Promise.all(requests.map((r) => d.digest(r.path, r.algo, r.seen)));
  try {
    return [await ask(workers), await ask(native)];
  } finally {
    await workers.close();
    await native.close();
  }
}

describe('the native digest', () => {
  it('is built where the tests run (else the comparisons below would compare nothing)', () => {
    expect(typeof addon?.digestBatchLater).toBe('function');
  });

  it('is left out with WHAT_TO_BACKUP_NATIVE=0, and while a test pauses hashing (the pause lives in the JavaScript)', () => {
    expect(loadNativeDigest({ WHAT_TO_BACKUP_NATIVE: '0' })).toBeUndefined();
    expect(loadNativeDigest({ WHAT_TO_BACKUP_TEST_HASH_PAUSE: '{}' })).toBeUndefined();
  });

  it('hashes empty, small, larger-than-its-buffer and non-UTF-8-named files as the JavaScript does, in every algorithm', async () => {
    const files: Record<string, Buffer> = { empty: Buffer.alloc(0), small: Buffer.from('small\n'), large: Buffer.alloc((3 << 20) + 17, 'L') };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(top, name), content);
    const odd = join(top, 'caf') + '\xe9\xff'; // latin1 bytes, not UTF-8
    writeFileSync(host(odd), 'odd name');
    const paths = [...Object.keys(files).map((n) => join(top, n)), odd];
    const requests = paths.flatMap((path) => ALGOS.flatMap((algo) => [{ path, algo }, { path, algo, seen: seenOf(path) }]));
    const [js, native] = await both(requests);
    expect(native).toEqual(js);
    expect(native[requests.findIndex((r) => r.path.endsWith('large') && r.algo === 'sha512')]).toEqual({
      ok: true,
      hex: createHash('sha512').update(files.large!).digest('hex'),
      size: BigInt(files.large!.length),
    });
  });

  it('gives the same reasons for a vanished file, a symlink (not followed), a FIFO (never opened for long, never waited on), a folder and a device', async () => {
    writeFileSync(join(top, 'target'), 'target');
    symlinkSync(join(top, 'target'), join(top, 'link'));
    execFileSync('mkfifo', [join(top, 'fifo')]);
    mkdirSync(join(top, 'folder'));
    writeFileSync(join(top, 'was-file'), 'x');
    const regular = seenOf(join(top, 'was-file'));
    const paths = ['nothing-here', 'link', 'fifo', 'folder'].map((n) => join(top, n)).concat('/dev/null');
    const requests = paths.flatMap((path) => [{ path, algo: 'sha256' as const }, { path, algo: 'sha256' as const, seen: regular }]);
    const [js, native] = await both(requests);
    expect(native).toEqual(js);
    expect(native.map((r) => (r.ok ? 'digest' : r.code))).toEqual([
      ...['ENOENT', 'ENOENT', 'ELOOP', 'ELOOP'],
      ...['EINVAL', 'changed-while-reading', 'EINVAL', 'changed-while-reading', 'EINVAL', 'changed-while-reading'],
    ]);
  });

  it('answers files opened by name in their folder as the JavaScript does, whichever folders a batch switches between', async () => {
    for (const folder of ['by-folder/a', 'by-folder/b', 'by-folder/a/deeper']) mkdirSync(join(top, folder), { recursive: true });
    for (const [path, text] of [['a/1', 'one'], ['a/2', 'two'], ['b/1', 'b one'], ['a/deeper/1', 'deep']] as const) writeFileSync(join(top, 'by-folder', path), text);
    symlinkSync(join(top, 'by-folder/a'), join(top, 'by-folder/via-link'));
    writeFileSync(join(top, 'by-folder/b/2'), 'replaced folder');
    const names = ['a/1', 'a/2', 'b/1', 'a/deeper/1', 'a/2', 'via-link/1', 'gone/1', 'b/../a/1', 'a/1/x', 'b/2', 'a/deeper', 'b/'];
    const paths = names.map((n) => join(top, 'by-folder', n)); // 'b/' keeps its slash: a folder named by a path ending in one
    const requests = paths.flatMap((path) => [{ path, algo: 'sha256' as const }, ...(/gone|x$|\/$|deeper$/.test(path) ? [] : [{ path, algo: 'sha1' as const, seen: seenOf(path) }])]);
    const [js, native] = await both(requests);
    expect(native).toEqual(js);
    expect(native.filter((r) => r.ok)).toHaveLength(16);
    expect(native.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(['ENOENT', 'ENOTDIR', 'EINVAL', 'EINVAL']);
  });

  it('reports files that grew, shrank, or were rewritten with their mtime put back since the scanner saw them as changed while reading', async () => {
    const make = (name: string, text: string) => (writeFileSync(join(top, name), text), join(top, name));
    const grew = make('grew', 'first');
    const shrank = make('shrank', 'a longer first version');
    const rewritten = make('rewritten', 'the packaged text');
    const seen = [grew, shrank, rewritten].map(seenOf);
    appendFileSync(grew, ' and more');
    truncateSync(shrank, 3);
    writeFileSync(rewritten, 'the modified text');
    const back = new Date(Number(seen[2]!.mtimeNs / 1_000_000n));
    utimesSync(rewritten, back, back);
    const requests = [grew, shrank, rewritten].map((path, i) => ({ path, algo: 'md5' as const, seen: i === 2 ? { ...seen[2]!, mtimeNs: seenOf(rewritten).mtimeNs } : seen[i] }));
    const [js, native] = await both(requests);
    expect(native).toEqual(js);
    expect(native).toEqual(requests.map(() => ({ ok: false, code: 'changed-while-reading' })));
  });

  it('gives the same answer for a file it may not read', async () => {
    const path = join(top, 'secret');
    writeFileSync(path, 'secret');
    chmodSync(path, 0o000);
    const [js, native] = await both([{ path, algo: 'sha1' }, { path, algo: 'sha1', seen: seenOf(path) }]);
    expect(native).toEqual(js);
  });

  it('answers a file replaced by a FIFO after the scanner saw it as changed while reading, without blocking', async () => {
    const path = join(top, 'becomes-fifo');
    writeFileSync(path, 'packaged');
    const seen = seenOf(path);
    unlinkSync(path);
    execFileSync('mkfifo', [path]);
    const [js, native] = await both([{ path, algo: 'sha256', seen }]);
    expect(native).toEqual(js);
    expect(native).toEqual([{ ok: false, code: 'changed-while-reading' }]);
  });

  it('notices a file that grows while the addon reads it', async () => {
    const path = join(top, 'big-sparse');
    writeFileSync(path, '');
    truncateSync(path, 1 << 28); // 256 MiB of holes: long enough to hash that the append lands mid-read
    const native = new NativeDigester(host, addon);
    const pending = native.digest(path, 'md5', seenOf(path));
    native.flush();
    await new Promise((r) => setTimeout(r, 20));
    appendFileSync(path, 'late');
    expect(await pending).toEqual({ ok: false, code: 'changed-while-reading' });
  });

  it('answers each file of a batch whose algorithm OpenSSL lacks as the JavaScript does (EIO), and goes on hashing', async () => {
    writeFileSync(join(top, 'plain'), 'plain');
    const path = join(top, 'plain');
    const [js, native] = await both([
      { path, algo: 'no-such-digest' as DigestAlgo },
      { path, algo: 'sha256' },
    ]);
    expect(native).toEqual(js);
    expect(native[0]).toEqual({ ok: false, code: 'EIO' });
  });

  it('answers many batches in order', async () => {
    mkdirSync(join(top, 'many'));
    const paths = Array.from({ length: 700 }, (_, i) => (writeFileSync(join(top, 'many', `f${i}`), `file ${i}`), join(top, 'many', `f${i}`)));
    const [js, native] = await both(paths.map((path, i) => ({ path, algo: ALGOS[i % ALGOS.length]!, seen: i % 2 ? seenOf(path) : undefined })));
    expect(native).toEqual(js);
    expect(native.every((r) => r.ok)).toBe(true);
  });
});

/** Each request checked against `expected` by the addon (`check`), and digested by the JavaScript. */
async function checkedAndDigested(requests: readonly { path: string; algo: DigestAlgo; seen: FileStat; expected: Buffer }[]) {
  const workers = new WorkerDigester(host, 1);
  const native = new NativeDigester(host, addon);
  try {
    const digests = await Promise.all(requests.map((r) => workers.digest(r.path, r.algo, r.seen)));
    const checks = requests.map(() => ({ answer: undefined as true | DigestResult | undefined }));
    const store = Buffer.concat([Buffer.from('padding'), ...requests.map((r) => r.expected)]);
    let at = 7;
    const ready = requests.map((r, i) => native.check(r.path, r.algo, r.seen, store, (at += i ? requests[i - 1]!.expected.length : 0), r.expected.length, checks[i]!));
    expect(checks.every((c) => c.answer === undefined)).toBe(true); // answered only with the batch
    await Promise.all(ready);
    return { digests, answers: checks.map((c) => c.answer) };
  } finally {
    await workers.close();
    await native.close();
  }
}

describe('the native content check', () => {
  it('answers true where the digest is the one expected and, where not, what digest() answers, in every algorithm', async () => {
    const path = join(top, 'checked');
    writeFileSync(path, 'packaged content\n');
    const seen = seenOf(path);
    const requests = ALGOS.flatMap((algo) => {
      const right = createHash(algo).update('packaged content\n').digest();
      const wrong = Buffer.from(right.map((b, i) => (i === right.length - 1 ? b ^ 1 : b)));
      // The right bytes, one bit off, one byte short, and none: only the first matches.
      return [right, wrong, right.subarray(1), Buffer.alloc(0)].map((expected) => ({ path, algo, seen, expected }));
    });
    const { digests, answers } = await checkedAndDigested(requests);
    expect(answers).toEqual(digests.map((d, i) => (i % 4 === 0 ? true : d)));
    expect(digests.every((d) => d.ok)).toBe(true);
  });

  it('answers files it cannot read, or that changed since they were seen, as digest() does', async () => {
    const gone = join(top, 'check-gone');
    const grew = join(top, 'check-grew');
    const fifo = join(top, 'check-fifo');
    for (const p of [gone, grew, fifo]) writeFileSync(p, 'x');
    const seen = [gone, grew, fifo].map(seenOf);
    unlinkSync(gone);
    appendFileSync(grew, 'more');
    unlinkSync(fifo);
    execFileSync('mkfifo', [fifo]);
    const expected = createHash('sha256').update('x').digest();
    const { digests, answers } = await checkedAndDigested([gone, grew, fifo].map((path, i) => ({ path, algo: 'sha256' as const, seen: seen[i]!, expected })));
    expect(answers).toEqual(digests);
    expect(answers).toEqual([{ ok: false, code: 'ENOENT' }, { ok: false, code: 'changed-while-reading' }, { ok: false, code: 'changed-while-reading' }]);
  });

  it('answers digests and checks mixed in one batch each in its own way, in order', async () => {
    const path = join(top, 'mixed');
    writeFileSync(path, 'mixed');
    const seen = seenOf(path);
    const expected = createHash('md5').update('mixed').digest();
    const native = new NativeDigester(host, addon);
    const check = { answer: undefined as true | DigestResult | undefined };
    const first = native.digest(path, 'md5', seen);
    const ready = native.check(path, 'md5', seen, expected, 0, expected.length, check);
    const last = native.digest(path, 'md5', seen);
    await ready;
    const digest = { ok: true, hex: expected.toString('hex'), size: 5n };
    expect([await first, check.answer, await last]).toEqual([digest, true, digest]);
  });
});

describe('host paths written straight into a batch', () => {
  it('are the bytes host() gives for a short path, and none for a long one (host() answers it)', async () => {
    const { NodeFileSystem } = await import('#backup/adapters/node-fs/node-fs.js');
    mkdirSync(join(top, 'r\xe9'), { recursive: true }); // a root named in UTF-8
    const fs = new NodeFileSystem(join(top, 'r\xe9'));
    const into = Buffer.alloc(64, 0x2a);
    const path = '/caf\xe9\xff'; // a byte-string path, not UTF-8
    const n = fs.writeHost(path, into, 3);
    expect(into.subarray(3, 3 + n)).toEqual(fs.host(path));
    expect(fs.writeHost(path, into, 60)).toBe(n); // too little room: its length, nothing written
    expect(into.subarray(60)).toEqual(Buffer.alloc(4, 0x2a));
    expect(fs.writeHost(`/${'x'.repeat(5000)}`, into, 0)).toBe(-1);
    fs.close();
  });

  it('give the native digester the same answers, across batches whose path bytes outgrow their buffer', async () => {
    const { NodeFileSystem } = await import('#backup/adapters/node-fs/node-fs.js');
    mkdirSync(join(top, 'written', 'd'.repeat(200)), { recursive: true });
    const fs = new NodeFileSystem(join(top, 'written'));
    const paths = Array.from({ length: 300 }, (_, i) => `/${'d'.repeat(200)}/f${i}`);
    for (const [i, p] of paths.entries()) writeFileSync(fs.host(p), `content ${i}`);
    const plain = new NativeDigester((p) => fs.host(p), addon);
    const written = new NativeDigester((p) => fs.host(p), addon, undefined, (p, into, at) => fs.writeHost(p, into, at));
    const ask = (d: NativeDigester) => Promise.all(paths.map((p) => d.digest(p, 'sha256')));
    const [a, b] = [await ask(plain), await ask(written)];
    expect(b).toEqual(a);
    expect(b.every((r) => r.ok)).toBe(true);
    fs.close();
  });
});
