import { createHash } from 'node:crypto';
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { verifyPackageFiles } from './dpkg-verify.js';
import { streamDigester } from '#test/backup/scan/stream-digester.js';
import { dpkgOwnedFiles } from '#backup/domain/dpkg/owned-records.js';
import { MemfsFileSystem, type Fault } from '#sim/backup/memfs-file-system.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** A package `p` shipping /lib/p/{a,b,c,d,sub/inner} and a symlink, installed intact on a merged-/usr memfs volume. */
function system(faults: Fault[] = []) {
  const vol = new Volume();
  vol.mkdirSync('/usr/lib/p', { recursive: true });
  for (const name of ['a', 'b', 'c', 'd']) vol.writeFileSync(`/usr/lib/p/${name}`, `${name}\n`);
  vol.symlinkSync('a', '/usr/lib/p/link');
  vol.mkdirSync('/usr/lib/p/sub');
  vol.writeFileSync('/usr/lib/p/sub/inner', 'x');
  vol.symlinkSync('usr/lib', '/lib');
  const files = dpkgOwnedFiles(
    [
      {
        owner: 'p',
        name: 'p',
        paths: ['/lib', '/lib/p', ...['a', 'b', 'c', 'd'].map((n) => `/lib/p/${n}`), '/lib/p/link', '/lib/p/sub', '/lib/p/sub/inner'],
        digests: new Map([...['a', 'b', 'c', 'd'].map((n) => [`/lib/p/${n}`, md5(`${n}\n`)] as const), ['/lib/p/sub/inner', md5('x')]]),
        conffiles: [],
      },
    ],
    [],
  );
  const fs = new MemfsFileSystem(vol, { faults });
  return { vol, files, fs, verify: () => verifyPackageFiles(files, fs, streamDigester(fs)) };
}

describe('verifying package files in place', () => {
  it('finds nothing on an intact system, through the /lib symlink', async () => {
    expect(await system().verify()).toEqual([]);
  });

  it('reports a changed file, a file turned symlink and a path under a file as missing', async () => {
    const sys = system();
    sys.vol.writeFileSync('/usr/lib/p/a', 'A\n');
    sys.vol.unlinkSync('/usr/lib/p/b');
    sys.vol.symlinkSync('a', '/usr/lib/p/b');
    sys.vol.rmSync('/usr/lib/p/sub', { recursive: true });
    sys.vol.writeFileSync('/usr/lib/p/sub', 'now a file');
    const found = await sys.verify();
    expect(found.map((v) => [v.path, v.missing, v.reason])).toEqual([
      ['/usr/lib/p/a', false, '..5......'],
      ['/usr/lib/p/b', false, '....L....'],
      ['/usr/lib/p/sub/inner', true, 'missing'],
    ]);
  });

  it('reports what it cannot look at or read, never drops it', async () => {
    const sys = system([
      { op: 'lstat', path: '/usr/lib/p/c', code: 'EACCES' },
      { op: 'read', path: '/usr/lib/p/a', code: 'EIO' },
      { op: 'readlink', path: '/usr/lib/p/b', code: 'EIO' },
    ]);
    sys.vol.unlinkSync('/usr/lib/p/b');
    sys.vol.symlinkSync('a', '/usr/lib/p/b');
    const found = await sys.verify();
    expect(found.map((v) => [v.path, v.reason])).toEqual([
      ['/usr/lib/p/a', '..?...... (EIO)'],
      ['/usr/lib/p/b', '....?....'],
      ['/usr/lib/p/c', 'EACCES'],
    ]);
  });
});
