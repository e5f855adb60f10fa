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
