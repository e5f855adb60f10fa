import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsFromFiles, systemAccounts } from '#backup/adapters/accounts/accounts-file.js';
import { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import { mountPointsUnder } from '#backup/adapters/mountinfo/mountinfo.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';

let top: string;
const latin1Name = Buffer.from('caf\xe9', 'latin1');

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-nodefs-'));
  mkdirSync(join(top, 'etc'));
  writeFileSync(join(top, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
  writeFileSync(join(top, 'etc/group'), 'root:x:0:\nstaff:x:50:\n');
  writeFileSync(Buffer.concat([Buffer.from(`${top}/`), latin1Name]), 'latin1 name');
  writeFileSync(join(top, 'new\nline'), 'x');
  symlinkSync('/etc/passwd', join(top, 'link'));
  execFileSync('mkfifo', [join(top, 'fifo')]);
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('NodeFileSystem', () => {
  it('finds, lstats and names a file whose name is not valid UTF-8', () => {
    const fs = new NodeFileSystem(top);
    const names = fs.list('/').map((d) => d.name);
    expect(names).toContain('caf\xe9');
    expect(names).toContain('new\nline');
    expect(fs.lstat('/caf\xe9')).toMatchObject({ type: 'file', size: 11n });
  });

  it('maps / to its root, reads symlinks without following them', () => {
    const fs = new NodeFileSystem(`${top}/`);
    expect(fs.lstat('/link').type).toBe('symlink');
    expect(fs.readlink('/link')).toBe('/etc/passwd');
    expect(fs.list('/').find((d) => d.name === 'etc')?.type).toBe('directory');
  });

  it('never opens a FIFO: reading one fails at once instead of hanging', async () => {
    const fs = new NodeFileSystem(top);
    expect(fs.lstat('/fifo').type).toBe('fifo');
    const read = async () => {
      for await (const chunk of fs.readChunks('/fifo')) void chunk;
    };
    await expect(read()).rejects.toMatchObject({ code: 'EINVAL' });
  });

  it('reads a file in chunks', async () => {
    const fs = new NodeFileSystem(top);
    const chunks: Uint8Array[] = [];
    for await (const chunk of fs.readChunks('/caf\xe9')) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('latin1 name');
  });

  it('checks read permission', () => {
    const fs = new NodeFileSystem(top);
    expect(fs.canRead('/etc', 'directory')).toBe(true);
    expect(fs.canRead('/nope', 'file')).toBe(false);
  });

  it('lists this machine\'s mount points, and none when there is no mountinfo', () => {
    expect(new NodeFileSystem('/').mountPoints().has('/proc')).toBe(true);
    expect(new NodeFileSystem('/', `${top}/no-such-file`).mountPoints().size).toBe(0);
  });
});

describe('mountPointsUnder', () => {
  const info = [
    '22 27 0:21 / /proc rw,relatime - proc proc rw',
    '27 1 8:1 / / rw - ext4 /dev/sda1 rw',
    '30 27 8:1 /srv /mnt/image rw - ext4 /dev/sda1 rw',
    '31 30 8:1 /x /mnt/image/data\\040disk rw - ext4 /dev/sda1 rw',
    '32 30 0:50 / /mnt/image/proc rw - proc proc rw',
    '',
  ].join('\n');

  it('decodes escapes and keeps paths of the scanned system', () => {
    expect(mountPointsUnder(info, '/')).toEqual(new Set(['/proc', '/mnt/image', '/mnt/image/data disk', '/mnt/image/proc']));
    expect(mountPointsUnder(info, '/mnt/image')).toEqual(new Set(['/data disk', '/proc']));
  });
});

describe('WorkerDigester', () => {
  it('hashes files in worker threads with the asked algorithm, and reports errors by code', async () => {
    const fs = new NodeFileSystem(top);
    const digester = new WorkerDigester((p) => fs.host(p), 2);
    try {
      const expected = createHash('sha256').update('latin1 name').digest('hex');
      expect(await digester.digest('/caf\xe9', 'sha256')).toEqual({ ok: true, hex: expected, size: 11n });
      expect(await digester.digest('/caf\xe9', 'md5')).toMatchObject({ ok: true, hex: createHash('md5').update('latin1 name').digest('hex') });
      expect(await digester.digest('/missing', 'sha256')).toEqual({ ok: false, code: 'ENOENT' });
      expect(await digester.digest('/fifo', 'sha256')).toEqual({ ok: false, code: 'EINVAL' });
      expect(await digester.digest('/link', 'sha256')).toEqual({ ok: false, code: 'ELOOP' });
    } finally {
      await digester.close();
    }
  });
});

describe('accounts', () => {
  it('reads the scanned system\'s users and groups; root is always 0', () => {
    const a = systemAccounts(top);
    expect([a.userName(1000n), a.uidOf('alice'), a.groupName(50n), a.gidOf('staff')]).toEqual(['alice', 1000n, 'staff', 50n]);
    const bare = systemAccounts(`${top}/no-such-root`);
    expect([bare.userName(0n), bare.uidOf('root'), bare.groupName(0n), bare.gidOf('root'), bare.userName(5n)]).toEqual(['root', 0n, 'root', 0n, undefined]);
    expect(accountsFromFiles('bad line\nx:x:notanumber:\n', '').uidOf('x')).toBeUndefined();
  });
});
