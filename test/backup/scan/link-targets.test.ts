import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNativeWalker, parseLinkTargets } from '#backup/adapters/native-walker/native-walker.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import { OwnershipIndex } from '#backup/scan/ownership-index.js';

const top = mkdtempSync(join(tmpdir(), 'cave-links-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const native = loadNativeWalker() ?? null;

/** A tree of every kind of answer: folders, a file, symlinks relative, absolute, dangling, looping, of odd bytes, one with the longest target, one past PATH_MAX. */
function tree(): string[] {
  const root = mkdtempSync(join(top, 'root-'));
  const at = (path: string) => Buffer.from(root + path, 'latin1');
  for (const dir of ['/usr/lib/x', '/usr/bin', '/opt/y']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'usr/bin/tool'), '');
  symlinkSync('usr/lib', join(root, 'lib'));
  symlinkSync('/opt', join(root, 'o'));
  symlinkSync('gone', join(root, 'usr/gone'));
  symlinkSync('loop', join(root, 'loop'));
  symlinkSync(Buffer.from('caf\xe9 \xff', 'latin1'), at('/usr/caf\xe9'));
  const longest = `/${'t'.repeat(4094)}`; // 4,095 bytes: the most a symlink holds
  symlinkSync(longest, join(root, 'usr/longest'));
  let deep = '/deep';
  while (deep.length < 3_200) deep += `/${'d'.repeat(200)}`;
  mkdirSync(at(deep), { recursive: true });
  symlinkSync('../x', at(`${deep}/link`));
  return [
    ...['/usr', '/usr/lib', '/usr/lib/x', '/usr/bin', '/usr/bin/tool', '/lib', '/o', '/usr/gone', '/loop', '/usr/caf\xe9', '/usr/longest'],
    ...['/none', '/usr/bin/tool/under', '/lib/x', '/o/y', `${deep}/link`, deep, '/usr/nul\0x', '/usr\0'],
  ].map((path) => `${root}\0${path}`);
}

describe('many paths asked at once (linkTargets)', () => {
  it('is in the addon, built from source', () => {
    expect(typeof native?.linkTargets).toBe('function');
  });

  it('says what lstat then readlink say of each path, one by one through node:fs: symlinks of any bytes and length, none, failures, paths past PATH_MAX or holding a NUL', () => {
    const asked = tree();
    const root = asked[0]!.split('\0')[0]!;
    const paths = asked.map((p) => p.split('\0').slice(1).join('\0'));
    const withAddon = new NodeFileSystem(root, undefined, native);
    const plain = new NodeFileSystem(root, undefined, null);
    expect(plain.linkTargets).toBeUndefined();
    const oneByOne = paths.map((path) => {
      try {
        return plain.lstat(path).type === 'symlink' ? plain.readlink(path) : undefined;
      } catch {
        return undefined;
      }
    });
    expect(oneByOne.filter((t) => t !== undefined).length).toBeGreaterThan(5);
    expect(withAddon.linkTargets!(paths)).toEqual(oneByOne);
    expect(withAddon.linkTargets!([])).toEqual([]);
  });

  it('reads an answer cut short, or of an unknown kind, as "ask again one by one"', () => {
    const answer = Buffer.from('\x01usr/lib\x00\x00\x02\x01cut', 'latin1');
    expect(parseLinkTargets(answer, 6)).toEqual(['usr/lib', undefined, null, null, null, null]);
  });
});

describe('the ownership index with the addon asking ahead', () => {
  const record = (path: string, pkg: string): OwnedFile => ({
    ...{ path, package: pkg, size: 0n, mode: 0o100644, digest: '', digestAlgo: undefined, mtime: 0n, linkTarget: '', user: 'root', group: 'root', rdev: 0 },
    ...{ flags: { config: false, ghost: false, doc: false, missingOk: false }, verifyFlags: 0, state: 'normal' as const },
  });

  it('finds every owner where node:fs alone finds it', () => {
    const asked = tree();
    const root = asked[0]!.split('\0')[0]!;
    const folders = ['', '/usr', '/usr/lib', '/lib', '/lib/x', '/usr/lib/x', '/o/y', '/opt/y', '/usr/gone', '/loop', '/usr/caf\xe9', '/usr/longest', '/none/z', '/usr/bin/tool'];
    const records = folders.flatMap((folder, k) => [record(`${folder}/a`, `p${k}`), record(`${folder}/b`, `q${k}`)]);
    const files = () => ({ source: 'test', packageCount: 2, files: OwnedFileTable.from(records) });
    const withAddon = new OwnershipIndex(files(), new NodeFileSystem(root, undefined, native));
    const plain = new OwnershipIndex(files(), new NodeFileSystem(root, undefined, null));
    const paths = [...new Set(records.map((r) => plain.resolve(r.path)))];
    expect(paths).toContain('/usr/lib/a'); // /lib resolved
    expect(paths).toContain('/opt/y/a'); // /o resolved
    for (const path of [...paths, '/lib/a', '/o/y/a']) expect(withAddon.owners(path), path).toEqual(plain.owners(path));
  });
});
