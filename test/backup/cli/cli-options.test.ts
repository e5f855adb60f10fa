import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '#backup/cli/cli-options.js';
import { ProgressLine } from '#backup/cli/progress-line.js';

describe('what-to-backup options', () => {
  it('defaults to scanning / against the databases found, on one file system, with a text list', () => {
    expect(parseCliOptions([])).toMatchObject({ roots: ['/'], root: '/', packageDb: 'auto', verify: 'content', admindir: undefined, oneFileSystem: true, quick: false, nul: false, json: false });
  });

  it('reads every option', () => {
    const o = parseCliOptions(['-0', '--exclude-from', 'ex', '--root', '/mnt', '--dbpath', '/var/lib/rpm', '--cross-mounts', '--package-db', 'none', '--quick', '/home', '/etc']);
    expect(o).toMatchObject({ nul: true, excludeFrom: 'ex', root: '/mnt', dbpath: '/var/lib/rpm', oneFileSystem: false, packageDb: 'none', quick: true, roots: ['/home', '/etc'] });
    expect(parseCliOptions(['--one-file-system', '--json']).json).toBe(true);
    expect(parseCliOptions(['--package-db', 'dpkg', '--admindir', '/mnt/var/lib/dpkg', '--verify', 'none'])).toMatchObject({
      packageDb: 'dpkg',
      admindir: '/mnt/var/lib/dpkg',
      verify: 'none',
    });
  });

  it.each([
    [['--frobnicate'], /Unknown option/],
    [['-0', '--json'], /choose one of -0\/--null and --json/],
    [['--one-file-system', '--cross-mounts'], /choose one of --one-file-system/],
    [['--package-db', 'apk'], /auto, rpm, dpkg or none/],
    [['--verify', 'some'], /content or none/],
    [['--dbpath', 'relative'], /absolute/],
    [['home'], /ROOT must be an absolute path/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(message);
  });
});

describe('progress line', () => {
  it('redraws at most every interval, fits the width, and erases itself', () => {
    const written: string[] = [];
    let now = 0;
    const line = new ProgressLine({ write: (t: string) => written.push(t), columns: 30 }, () => now, 100);
    line.update(512, '/usr/share/a/very/long/path/that/does/not/fit');
    now = 50;
    line.update(1024, '/skipped');
    now = 150;
    line.update(1536, '/new\nline');
    line.clear();
    line.clear();
    expect(written).toHaveLength(3);
    expect(written[0]!.length).toBeLessThanOrEqual(4 + 29);
    expect(written[0]).toMatch(/…$/);
    expect(written[1]).toBe('\r\x1b[K1536 entries  /new\\nline');
    expect(written[2]).toBe('\r\x1b[K');
  });
});

describe('--for', () => {
  it('takes a known tool, and the second file restic and tar need', () => {
    expect(parseCliOptions(['--for', 'rsync']).forTool).toBe('rsync');
    expect(parseCliOptions(['--for', 'restic', '--excludes-to', 'x'])).toMatchObject({ forTool: 'restic', secondFile: 'x' });
    expect(parseCliOptions(['--for', 'tar', '--folders-to', 'f'])).toMatchObject({ forTool: 'tar', secondFile: 'f' });
  });

  it('refuses what cannot work', () => {
    expect(() => parseCliOptions(['--for', 'kopia'])).toThrow(/--for must be restic, tar, rsync, borg/);
    expect(() => parseCliOptions(['--for', 'restic'])).toThrow(/--for restic needs --excludes-to FILE/);
    expect(() => parseCliOptions(['--for', 'tar', '--excludes-to', 'x'])).toThrow(/--for tar needs --folders-to FILE/);
    expect(() => parseCliOptions(['--for', 'tar', '--folders-to', 'f', '--excludes-to', 'x'])).toThrow(/takes --folders-to, not the other/);
    expect(() => parseCliOptions(['--for', 'borg', '--folders-to', 'f'])).toThrow(/--for borg takes neither/);
    expect(() => parseCliOptions(['--excludes-to', 'x'])).toThrow(/go with --for/);
    expect(() => parseCliOptions(['--for', 'rsync', '--json'])).toThrow(/choose one of --for and --json/);
  });
});
