import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dpkgOwnedFiles, type DpkgPackageFiles } from '#backup/domain/dpkg/owned-records.js';
import { Verify } from '#backup/domain/verify/verify-flags.js';
import { absolutePath } from './byte-strings.js';

const hex = (c: string) => c.repeat(32);

const tool: DpkgPackageFiles = {
  owner: 'tool',
  name: 'tool',
  paths: ['/', '/etc', '/etc/tool.conf', '/usr', '/usr/bin', '/usr/bin/tool', '/usr/bin/tool-alias', '/usr/bin/pg_config'],
  digests: new Map([
    ['/usr/bin/tool', hex('a')],
    ['/usr/bin/pg_config', hex('c')],
  ]),
  conffiles: [{ path: '/etc/tool.conf', digest: hex('b'), obsolete: false, removeOnUpgrade: false }],
};

const byPath = (files: ReturnType<typeof dpkgOwnedFiles>) => new Map(files.map((f) => [f.path, f]));

describe('dpkg records for the package database port', () => {
  it('asks for a digest and "still not a symlink" on files, nothing of directories, "not a regular file" of links', () => {
    const files = byPath(dpkgOwnedFiles([tool], []));
    expect(files.get('/usr/bin/tool')).toMatchObject({ package: 'tool', digest: hex('a'), digestAlgo: 'md5', mode: 0o100000, linkTarget: '' });
    expect(files.get('/usr/bin/tool')!.verifyFlags).toBe(Verify.DIGEST | Verify.LINKTO);
    expect(files.get('/usr/bin')).toMatchObject({ mode: 0o040000, verifyFlags: 0, digest: '' });
    expect(files.get('/')).toMatchObject({ mode: 0o040000, verifyFlags: 0 });
    // A digest test without a digest: a regular file there fails it, a symlink or directory skips it.
    expect(files.get('/usr/bin/tool-alias')).toMatchObject({ mode: 0o120000, verifyFlags: Verify.DIGEST, digest: '', digestAlgo: undefined });
  });

  it('takes a conffile digest from the status file and marks it config', () => {
    const conf = byPath(dpkgOwnedFiles([tool], [])).get('/etc/tool.conf')!;
    expect(conf).toMatchObject({ digest: hex('b'), flags: { config: true, ghost: false, doc: false, missingOk: false } });
    const both = { ...tool, digests: new Map([['/etc/tool.conf', hex('d')]]) };
    expect(byPath(dpkgOwnedFiles([both], [])).get('/etc/tool.conf')!.digest).toBe(hex('d'));
  });

  it('owns a diverted file where dpkg put it, except for the diverting package', () => {
    const divert = [{ from: '/usr/bin/pg_config', to: '/usr/bin/pg_config.tool', by: 'other' }];
    const files = dpkgOwnedFiles([tool], divert);
    expect(files.filter((f) => f.path.startsWith('/usr/bin/pg_config')).map((f) => [f.path, f.digest])).toEqual([
      ['/usr/bin/pg_config.tool', hex('c')],
    ]);
    const own = dpkgOwnedFiles([tool], [{ ...divert[0]!, by: 'tool' }]);
    expect(own.some((f) => f.path === '/usr/bin/pg_config')).toBe(true);
  });

  it('keeps ownership but drops every test with verify=none', () => {
    const files = dpkgOwnedFiles([tool], [], 'none');
    expect(files).toHaveLength(tool.paths.length);
    expect(files.every((f) => f.verifyFlags === 0 && f.digest === '')).toBe(true);
    expect(byPath(files).get('/etc/tool.conf')!.flags.config).toBe(true);
  });
});

describe('dpkg records, for any packages and diversions', () => {
  const pkgName = fc.constantFrom('a', 'b', 'c');
  const packageArb = fc.record({
    name: pkgName,
    paths: fc.uniqueArray(absolutePath, { maxLength: 8 }),
    digested: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  });
  const diversionArb = (paths: string[]) =>
    fc.uniqueArray(
      fc.record({ from: fc.constantFrom(...paths), to: absolutePath, by: fc.option(pkgName, { nil: undefined }) }),
      { selector: (d) => d.from, maxLength: 3 },
    );

  it('gives one record per listed path, at the diverted place unless its own package diverts it', () => {
    fc.assert(
      fc.property(
        fc.array(packageArb, { minLength: 1, maxLength: 3 }).chain((pkgs) => {
          const all = pkgs.flatMap((p) => p.paths);
          return fc.tuple(fc.constant(pkgs), all.length ? diversionArb(all) : fc.constant([]));
        }),
        ([pkgs, diversions]) => {
          const packages: DpkgPackageFiles[] = pkgs.map((p) => ({
            owner: p.name,
            name: p.name,
            paths: p.paths,
            digests: new Map(p.paths.filter((_, i) => p.digested[i]).map((path) => [path, hex('e')])),
            conffiles: [],
          }));
          const files = dpkgOwnedFiles(packages, diversions);
          const listed = packages.flatMap((p) => p.paths.map((path) => ({ p, path })));
          expect(files).toHaveLength(listed.length);
          listed.forEach(({ p, path }, i) => {
            const d = diversions.find((x) => x.from === path);
            expect(files[i]!.path).toBe(d && d.by !== p.name ? d.to : path);
            expect(files[i]!.package).toBe(p.name);
            const isDir = p.paths.some((other) => other.startsWith(`${path}/`));
            expect(files[i]!.digest).toBe(!isDir && p.digests.has(path) ? hex('e') : '');
          });
        },
      ),
    );
  });
});
