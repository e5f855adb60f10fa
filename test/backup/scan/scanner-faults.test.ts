import { describe, expect, it } from 'vitest';
import { simScan, simSystem } from './sim-scan.js';

const pkg = {
  name: 'p',
  paths: [
    { path: '/opt/p/bin', content: 'bin' },
    { path: '/opt/p/data/one', content: '1' },
    { path: '/opt/p/data/two', content: '2' },
    { path: '/opt/p/link', kind: 'symlink' as const, target: 'bin' },
  ],
};

describe('scanner under file-system faults', () => {
  it('reports a directory it may not list as unreadable, and nothing below it as missing', async () => {
    const { vol, db } = simSystem([pkg]);
    const { classes, report } = await simScan(vol, db, { faults: [{ op: 'list', path: '/opt/p/data', code: 'EACCES' }] });
    expect(classes['/opt/p/data']).toBe('unreadable EACCES');
    expect(classes['/opt/p/data/one']).toBeUndefined();
    expect(report.unreadable).toBe(1);
    expect(report.missing).toEqual([]);
  });

  it('reports a file it may not read as unreadable', async () => {
    const { vol, db } = simSystem([pkg], { '/home/secret': 'x' });
    const { classes, report } = await simScan(vol, db, { faults: [{ op: 'access', path: '/home/secret', code: 'EACCES' }] });
    expect(classes['/home/secret']).toBe('unreadable EACCES');
    expect(report.unreadable).toBe(1);
  });

  it('reports content it could not hash, or a link it could not read, as unreadable with rpm\'s ?', async () => {
    const { vol, db } = simSystem([pkg]);
    const faults = [
      { op: 'read' as const, path: '/opt/p/bin', code: 'EIO' },
      { op: 'readlink' as const, path: '/opt/p/link', code: 'EIO' },
    ];
    const { classes, report } = await simScan(vol, db, { faults });
    expect(classes['/opt/p/bin']).toBe('unreadable ..?...... (EIO)');
    expect(classes['/opt/p/link']).toBe('unreadable ....?....');
    expect(report.unreadable).toBe(2);
  });

  it.each(['ELOOP', 'ENAMETOOLONG', 'EACCES'])('reports an entry whose lstat fails with %s as unreadable', async (code) => {
    const { vol, db } = simSystem([pkg]);
    const { classes, report } = await simScan(vol, db, { faults: [{ op: 'lstat', path: '/opt/p/data/one', code }] });
    expect(classes['/opt/p/data/one']).toBe(`unreadable ${code}`);
    expect(classes['/opt/p/data/two']).toBe('unmodified');
    expect(report.unreadable).toBe(1);
    expect(report.missing).toEqual([]);
  });

  it('notes a file that vanishes mid-walk, without an error and without calling it missing', async () => {
    const { vol, db } = simSystem([pkg]);
    const beforeOperation = (op: string, path: string) => {
      if (op === 'lstat' && path === '/opt/p/data/one' && vol.existsSync(path)) vol.unlinkSync(path);
    };
    const { classes, report } = await simScan(vol, db, { beforeOperation });
    expect(classes['/opt/p/data/one']).toBeUndefined();
    expect(report.vanished).toEqual(['/opt/p/data/one']);
    expect(report.unreadable).toBe(0);
  });

  it('notes a directory that vanishes between its lstat and its listing', async () => {
    const { vol, db } = simSystem([pkg], { '/tmp/work/a': 'x' });
    const { classes, report } = await simScan(vol, db, { faults: [{ op: 'list', path: '/tmp/work', code: 'ENOENT' }] });
    expect(classes['/tmp/work']).toBeUndefined();
    expect(report.vanished).toEqual(['/tmp/work']);
  });

  it('classifies a file replaced by a directory mid-walk as what it now is', async () => {
    const { vol, db } = simSystem([pkg]);
    const beforeOperation = (op: string, path: string) => {
      if (op === 'lstat' && path === '/opt/p/data/two' && vol.statSync(path).isFile()) {
        vol.unlinkSync(path);
        vol.mkdirSync(path);
        vol.writeFileSync(`${path}/inside`, 'x');
      }
    };
    const { entries, classes } = await simScan(vol, db, { beforeOperation });
    expect(entries.find((e) => e.path === '/opt/p/data/two')).toMatchObject({ kind: 'directory', class: 'modified' });
    expect(classes['/opt/p/data/two']).toMatch(/^modified \.M/);
    expect(classes['/opt/p/data/two/inside']).toBe('new');
  });

  it('reports a file turned into something that cannot be listed', async () => {
    const { vol, db } = simSystem([pkg], { '/srv/x/y': '1' });
    const { classes, report } = await simScan(vol, db, { faults: [{ op: 'list', path: '/srv/x', code: 'ENOTDIR' }] });
    expect(classes['/srv/x']).toBe('unreadable ENOTDIR');
    expect(report.unreadable).toBe(1);
  });

  it('reports an unreadable root', async () => {
    const { vol, db } = simSystem([pkg]);
    const { entries } = await simScan(vol, db, { faults: [{ op: 'lstat', path: '/opt', code: 'EACCES' }] }, { roots: ['/opt'] });
    expect(entries).toEqual([{ path: '/opt', kind: 'other', class: 'unreadable', size: 0n, reason: 'EACCES' }]);
  });
});
