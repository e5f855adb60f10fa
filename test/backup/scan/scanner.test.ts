import { describe, expect, it } from 'vitest';
import { simScan, simSystem } from './sim-scan.js';

const tool = {
  name: 'tool',
  paths: [
    { path: '/usr/bin/tool', content: 'binary', mode: 0o755 },
    { path: '/usr/share/tool/a', content: 'aaaa' },
    { path: '/usr/share/tool/b', content: 'bbbb' },
    { path: '/usr/share/tool/link', kind: 'symlink' as const, target: 'a' },
    { path: '/usr/share/tool/empty', kind: 'dir' as const },
    { path: '/etc/tool.conf', content: 'x=1\n', config: true },
    { path: '/var/log/tool.log', content: '', ghost: true },
  ],
};

describe('scanner on a simulated system', () => {
  it('keeps installed files, and calls what no package owns new', async () => {
    const { vol, db } = simSystem([tool], { '/home/me/notes': 'hi', '/etc/hostname': 'box' });
    vol.mkdirSync('/srv/empty', { recursive: true });
    const { classes, report } = await simScan(vol, db);
    expect(classes).toMatchObject({
      '/': 'new',
      '/usr/bin/tool': 'unmodified',
      '/usr/share/tool/link': 'unmodified',
      '/usr/share/tool/empty': 'unmodified',
      '/etc/tool.conf': 'unmodified',
      '/home/me/notes': 'new',
      '/etc/hostname': 'new',
      '/srv/empty': 'new',
    });
    expect(report.missing).toEqual([]);
    expect(report.hashed).toBe(4);
  });

  it('saves each kind of change with rpm\'s verdict, and not an mtime-only change', async () => {
    const { vol, db } = simSystem([tool]);
    vol.writeFileSync('/usr/share/tool/a', 'AAAA');
    vol.writeFileSync('/usr/share/tool/b', 'bbbbb');
    vol.chmodSync('/usr/bin/tool', 0o700);
    vol.unlinkSync('/usr/share/tool/link');
    vol.symlinkSync('b', '/usr/share/tool/link');
    vol.writeFileSync('/etc/tool.conf', 'x=2\n');
    vol.utimesSync('/usr/share/tool/a', 1, 1);
    vol.writeFileSync('/var/log/tool.log', 'log line\n');
    vol.chmodSync('/var/log/tool.log', 0o644);
    const { classes } = await simScan(vol, db);
    expect(classes).toMatchObject({
      '/usr/share/tool/a': 'modified ..5....T.',
      '/usr/share/tool/b': expect.stringMatching(/^modified S\.5\.\.\.\./),
      '/usr/bin/tool': 'modified .M.......',
      '/usr/share/tool/link': 'modified ....L....',
      '/etc/tool.conf': expect.stringMatching(/^modified \.\.5\.\.\.\.[.T]\. c$/),
      '/var/log/tool.log': 'modified %ghost',
    });
    vol.writeFileSync('/usr/share/tool/a', 'aaaa');
    vol.utimesSync('/usr/share/tool/a', 5, 5);
    expect((await simScan(vol, db)).classes['/usr/share/tool/a']).toBe('unmodified');
  });

  it('reports owned files that are gone, but not a missing %ghost', async () => {
    const { vol, db } = simSystem([tool]);
    vol.unlinkSync('/usr/share/tool/b');
    const { report, classes } = await simScan(vol, db);
    expect(report.missing).toEqual([{ path: '/usr/share/tool/b', package: 'tool-1.0-1.noarch', config: false }]);
    expect(classes['/usr/share/tool/b']).toBeUndefined();
  });

  it('hashes nothing with quick, still catching size and mode changes', async () => {
    const { vol, db } = simSystem([tool]);
    vol.writeFileSync('/usr/share/tool/a', 'AAAA');
    vol.writeFileSync('/usr/share/tool/b', 'bbbbb');
    const { classes, report, fs } = await simScan(vol, db, {}, { quick: true });
    expect(report.hashed).toBe(0);
    expect(fs.operations.filter(([op]) => op === 'read')).toEqual([]);
    expect(classes['/usr/share/tool/a']).toMatch(/^unmodified/);
    expect(classes['/usr/share/tool/b']).toMatch(/^modified S\.5/);
  });

  it('lists everything as new without a package database', async () => {
    const { vol } = simSystem([tool]);
    const { entries } = await simScan(vol, undefined);
    expect(new Set(entries.map((e) => e.class))).toEqual(new Set(['new']));
  });

  it('walks depth-first, each directory before its children, names in byte order', async () => {
    const { vol } = simSystem([], { '/b/z': '1', '/b/a': '2', '/a': '3', '/B': '4', '/\xe9': '5' });
    const { entries } = await simScan(vol, undefined);
    expect(entries.map((e) => e.path)).toEqual(['/', '/B', '/a', '/b', '/b/a', '/b/z', '/\xe9']);
  });

  it('scans only the given roots, once each', async () => {
    const { vol, db } = simSystem([tool], { '/home/me/x': '1' });
    const { entries } = await simScan(vol, db, {}, { roots: ['/home', '/home/me/', '/usr/bin'] });
    expect(entries.map((e) => e.path)).toEqual(['/home', '/home/me', '/home/me/x', '/usr/bin', '/usr/bin/tool']);
  });

  it('leaves out excluded paths, listing them as excluded without looking inside', async () => {
    const { vol, db } = simSystem([tool], { '/home/me/.cache/big': 'x', '/home/me/keep': 'y' });
    const { classes, fs } = await simScan(vol, db, {}, { isExcluded: (p) => p.endsWith('/.cache') });
    expect(classes['/home/me/.cache']).toBe('excluded');
    expect(classes['/home/me/.cache/big']).toBeUndefined();
    expect(fs.operations.some(([, p]) => p === '/home/me/.cache/big')).toBe(false);
  });

  it('does not cross mount points (bind mounts too) unless asked', async () => {
    const { vol } = simSystem([], { '/proc/1/status': 'x', '/mnt/usb/photo': 'y', '/data/a': 'z' });
    const fsOptions = { mountPoints: ['/proc'], devices: { '/mnt/usb': 7n } };
    const one = await simScan(vol, undefined, fsOptions);
    expect(one.classes).toMatchObject({ '/proc': 'not-scanned mount point', '/mnt/usb': 'not-scanned another file system', '/data/a': 'new' });
    expect(one.classes['/proc/1/status']).toBeUndefined();
    const all = await simScan(vol, undefined, fsOptions, { oneFileSystem: false });
    expect(all.classes).toMatchObject({ '/proc/1/status': 'new', '/mnt/usb/photo': 'new' });
  });

  it('never opens a FIFO, socket or device, and lists them as entries', async () => {
    const { vol } = simSystem([], { '/run/fifo': '', '/dev/sda': '' });
    const { classes, fs } = await simScan(vol, undefined, { special: { '/run/fifo': 'fifo', '/dev/sda': 'block-device' } });
    expect(classes).toMatchObject({ '/run/fifo': 'new', '/dev/sda': 'new' });
    expect(fs.operations.filter(([op]) => op === 'read')).toEqual([]);
  });

  it('counts a hard-linked file\'s content once', async () => {
    const { vol, db } = simSystem([{ name: 'h', paths: [{ path: '/a/one', content: 'same' }] }]);
    vol.linkSync('/a/one', '/a/two');
    const { report, entries } = await simScan(vol, db);
    const [one, two] = entries.filter((e) => e.path.startsWith('/a/'));
    expect(one!.identity).toEqual(two!.identity);
    expect(report.hashed).toBe(1);
  });

  it('never writes: the tree and its timestamps are the same after a scan', async () => {
    const { vol, db } = simSystem([tool], { '/home/me/x': '1' });
    const snapshot = () => JSON.stringify([vol.toJSON(), Object.keys(vol.toJSON()).map((p) => String(vol.lstatSync(p, { bigint: true }).mtimeNs))]);
    const before = snapshot();
    await simScan(vol, db);
    expect(snapshot()).toBe(before);
  });
});

describe('scanner, an owned directory that became a symlink', () => {
  const app = { name: 'app', paths: [{ path: '/opt/app/lib', kind: 'dir' as const, mode: 0o755 }, { path: '/opt/app/lib/x.so', content: 'so' }] };

  const relink = (vol: ReturnType<typeof simSystem>['vol']) => {
    vol.mkdirSync('/opt/app/lib64');
    vol.chmodSync('/opt/app/lib64', 0o755);
    vol.renameSync('/opt/app/lib/x.so', '/opt/app/lib64/x.so');
    vol.rmdirSync('/opt/app/lib');
    vol.symlinkSync('lib64', '/opt/app/lib');
  };

  it('verifies it as the directory it points to, as rpm does', async () => {
    const { vol, db } = simSystem([app]);
    relink(vol);
    const { classes, report } = await simScan(vol, db);
    expect(classes['/opt/app/lib']).toBe('unmodified');
    expect(classes['/opt/app/lib64/x.so']).toBe('unmodified');
    expect(report.missing).toEqual([]);
  });

  it('flags it when the link points to something that is not a directory', async () => {
    const { vol, db } = simSystem([app]);
    relink(vol);
    vol.unlinkSync('/opt/app/lib');
    vol.symlinkSync('lib64/x.so', '/opt/app/lib');
    const { classes } = await simScan(vol, db);
    // As rpm: a symlink has no mode to compare, and its target differs from the none recorded.
    expect(classes['/opt/app/lib']).toBe('modified ....L....');
  });

  it('flags it when the link points nowhere', async () => {
    const { vol, db } = simSystem([app]);
    relink(vol);
    vol.unlinkSync('/opt/app/lib');
    vol.symlinkSync('gone', '/opt/app/lib');
    const { classes } = await simScan(vol, db);
    expect(classes['/opt/app/lib']).toBe('modified ....L....');
  });
});

describe('scanner, what it counts', () => {
  it('reports progress every 512 entries, with the path it has reached', async () => {
    const files = Object.fromEntries(Array.from({ length: 1100 }, (_, i) => [`/data/f${String(i).padStart(4, '0')}`, '']));
    const { vol } = simSystem([], files);
    const progress: Array<[number, string]> = [];
    await simScan(vol, undefined, {}, { onProgress: (n, path) => progress.push([n, path]) });
    expect(progress).toEqual([
      [512, '/data/f0509'],
      [1024, '/data/f1021'],
    ]);
  });

  it('reads a package file with several hard links once', async () => {
    const linked = { name: 'linked', paths: [{ path: '/usr/bin/a', content: 'same' }, { path: '/usr/bin/b', content: 'same' }] };
    const { vol, db } = simSystem([linked]);
    vol.unlinkSync('/usr/bin/b');
    vol.linkSync('/usr/bin/a', '/usr/bin/b');
    const { classes, report } = await simScan(vol, db);
    expect(classes).toMatchObject({ '/usr/bin/a': 'unmodified', '/usr/bin/b': 'unmodified' });
    expect(report.hashed).toBe(1);
  });
});
