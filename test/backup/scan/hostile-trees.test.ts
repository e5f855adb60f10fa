/**
 * Hostile trees on real files (issue #16): names of every byte and of 255 bytes, symlink loops and
 * links to `/`, FIFOs, sockets and devices, sparse files, and a bind mount. No crash, no hang,
 * every entry listed or reported with its reason, and the -0 and --json outputs exact.
 */
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';

const run = promisify(execFile);
let top: string;
let sys: string;

async function cli(args: string[]) {
  const options = { env: childEnv({ XDG_CACHE_HOME: join(top, 'cache') }), maxBuffer: 1 << 28, encoding: 'latin1' as const, timeout: 60_000 };
  const base = ['--root', sys, '--package-db', 'none', '--no-builtin-rules', '--exclude-from', join(top, 'exclude')];
  try {
    const r = await run(process.execPath, [bins.whatToBackup, ...base, ...args], options);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

/** Every byte but NUL and `/` as a one-byte name, and a name of 255 bytes (NAME_MAX). */
const byteNames = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).filter((c) => c !== '/' && c !== '.');
const longName = 'n'.repeat(200) + '\xe9'.repeat(55); // 255 bytes, the last 55 not UTF-8
const specialNames = ['fifo', 'socket', 'null-device', 'loop-a', 'loop-b', 'to-root', 'to-self', 'sparse'];

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-hostile-'));
  sys = join(top, 'sys');
  const names = join(sys, 'names');
  mkdirSync(names, { recursive: true });
  for (const name of [...byteNames, longName]) writeFileSync(Buffer.concat([Buffer.from(`${names}/`), Buffer.from(name, 'latin1')]), name);
  const special = join(sys, 'special');
  mkdirSync(special);
  // A FIFO nobody writes to: opening it for reading would block the scan for ever.
  execFileSync('mkfifo', [join(special, 'fifo')]);
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(join(special, 'socket'))})`]);
  execFileSync('mknod', [join(special, 'null-device'), 'c', '1', '3']);
  symlinkSync('loop-b', join(special, 'loop-a'));
  symlinkSync('loop-a', join(special, 'loop-b'));
  symlinkSync('/', join(special, 'to-root'));
  symlinkSync('.', join(special, 'to-self'));
  closeSync(openSync(join(special, 'sparse'), 'w'));
  truncateSync(join(special, 'sparse'), 2 ** 40); // 1 TiB apparent, nothing on disk
  for (const dir of ['names', 'special']) writeFileSync(join(sys, dir, 'keep-out.tmp'), 'excluded, so the folder is listed entry by entry');
  mkdirSync(join(sys, 'mnt'));
  mkdirSync(join(top, 'elsewhere'));
  writeFileSync(join(top, 'elsewhere', 'data'), 'on the other side of a bind mount');
  execFileSync('mount', ['--bind', join(top, 'elsewhere'), join(sys, 'mnt')]);
  writeFileSync(join(top, 'exclude'), '*.tmp\n');
});

afterAll(() => {
  execFileSync('umount', [join(sys, 'mnt')]);
  rmSync(top, { recursive: true, force: true });
});

const expectedNames = [...byteNames, longName].map((n) => `/names/${n}`);
const expectedSpecial = specialNames.map((n) => `/special/${n}`);

describe('what-to-backup on hostile trees', () => {
  it('lists every name exactly with -0, follows no link, opens no FIFO, and leaves the bind mount out', async () => {
    const r = await cli(['-0']);
    expect(r.code).toBe(0);
    const listed = r.stdout.split('\0').slice(0, -1);
    expect(listed.filter((p) => p.startsWith('/names/')).sort()).toEqual([...expectedNames].sort());
    expect(listed.filter((p) => p.startsWith('/special/')).sort()).toEqual([...expectedSpecial].sort());
    expect(listed).not.toContain('/mnt/data');
    expect(r.stderr).toMatch(/not scanned {2}\/mnt {2}mount point/);
    expect(r.stderr).toMatch(/1\.0T|1T/); // the sparse file counts its apparent size
  });

  it('gives the same paths in --json, exact bytes in base64 where they are not UTF-8', async () => {
    const r = await cli(['--json', '/names', '/special']);
    expect(r.code).toBe(0);
    const json = JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8')) as { list: Array<{ path: string; pathBase64?: string }> };
    const paths = json.list.map((l) => (l.pathBase64 === undefined ? Buffer.from(l.path, 'utf8') : Buffer.from(l.pathBase64, 'base64')).toString('latin1'));
    expect(paths.sort()).toEqual([...expectedNames, ...expectedSpecial, '/names', '/special'].sort());
  });

  it('walks into the bind mount with --cross-mounts', async () => {
    const r = await cli(['-0', '--cross-mounts']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\0')).toContain('/mnt/');
  });
});
