import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DpkgDatabase } from '#backup/adapters/dpkg/dpkg-database.js';
import { verifyPackageFiles, type PackageFileVerdict } from './dpkg-verify.js';
import { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import { parseDiversions } from '#backup/domain/dpkg/diversions.js';
import type { OwnedFile, PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import { createPathResolver } from '#backup/domain/paths/resolve-owned-path.js';
import { ownersWhereFilesAre, parseDpkgSearch, parseDpkgVerify } from './dpkg-output.js';

const run = promisify(execFile);

/** A few packages with files in /usr and /etc: conffiles, a diversion (dash), and on this image some changes. */
const WANTED = ['coreutils', 'bash', 'base-files', 'dash', 'libdebuginfod-common', 'python3-pip', 'cmake-data'];

let db: PackageDatabase;
let sample: OwnedFile[];
let packages: string[];
let ours: PackageFileVerdict[];
const fs = new NodeFileSystem('/');
const digester = new WorkerDigester((path) => fs.host(path));
const resolve = createPathResolver((p) => {
  try {
    return fs.lstat(p).type === 'symlink' ? fs.readlink(p) : undefined;
  } catch {
    return undefined;
  }
});
const key = (missing: boolean, config: boolean, path: string) => `${missing ? 'missing ' : 'modified'} ${config ? 'c' : ' '} ${path}`;

beforeAll(async () => {
  db = await new DpkgDatabase().load();
  const installed = new Set([...db.files].map((f) => f.package));
  packages = WANTED.filter((p) => installed.has(p));
  sample = [...db.files].filter((f) => packages.includes(f.package));
  ours = await verifyPackageFiles(sample, fs, digester);
}, 120_000);

afterAll(() => digester.close());

describe("this machine's own dpkg database", () => {
  it('has the core packages of the sample', () => {
    expect(packages).toEqual(expect.arrayContaining(['coreutils', 'bash', 'base-files', 'dash']));
    expect(sample.some((f) => f.path.startsWith('/etc/') && f.flags.config)).toBe(true);
  });

  it('finds what dpkg --verify finds for the sample; anything more is a diverted file or a replaced symlink', async () => {
    const { stdout } = await run('dpkg', ['--verify', ...packages], { encoding: 'buffer', maxBuffer: 1 << 26 });
    const theirs = parseDpkgVerify(stdout).map((l) => key(l.missing, l.config, resolve(l.path)));
    const mine = ours.map((v) => key(v.missing, v.config, v.path));
    expect(mine).toEqual(expect.arrayContaining(theirs));
    const divertedTo = new Set(parseDiversions(readFileSync('/var/lib/dpkg/diversions', 'latin1')).map((d) => d.to));
    const extras = ours.filter((v) => !theirs.includes(key(v.missing, v.config, v.path)));
    const unexplained = extras.filter((v) => {
      const record = sample.find((f) => resolve(f.path) === v.path && f.package === v.package)!;
      return record.digest !== '' && !divertedTo.has(record.path);
    });
    expect(unexplained).toEqual([]);
  });

  it('gives a sample of paths the owners dpkg -S names', async () => {
    const paths = [...new Set(sample.map((f) => f.path))].filter((p, i) => p !== '/' && /^[\x20-\x7e]+$/.test(p) && i % 7 === 0).slice(0, 300);
    const { stdout } = await run('dpkg-query', ['-S', ...paths], { encoding: 'buffer', maxBuffer: 1 << 26 });
    const expected = ownersWhereFilesAre(parseDpkgSearch(stdout));
    const mine = new Map<string, string[]>();
    for (const f of db.files) if (expected.has(f.path)) mine.set(f.path, [...(mine.get(f.path) ?? []), f.package].sort());
    expect(expected.size).toBeGreaterThan(50);
    expect(mine).toEqual(expected);
  });
});
