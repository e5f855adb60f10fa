import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DpkgDatabase } from '#backup/adapters/dpkg/dpkg-database.js';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import type { DpkgVerifyMode } from '#backup/domain/dpkg/owned-records.js';
import type { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';
import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';

const top = mkdtempSync(join(tmpdir(), 'cave-dpkg-native-'));
afterAll(() => {
  rmSync(top, { recursive: true, force: true });
  delete process.env.WHAT_TO_BACKUP_READ_AHEAD;
});
const addon = loadNativeWalker();
const native = addon?.loadDpkgInfo && addon.dpkgStatusFields ? { loadDpkgInfo: addon.loadDpkgInfo, dpkgStatusFields: addon.dpkgStatusFields } : undefined;

/** Components that make shared folders, non-UTF-8 names, odd spellings (`.`, `..`, empty, CR, spaces). */
const component = fc.constantFrom('usr', 'bin', 'lib', 'a', 'b', 't\xf6\xf6l', '\xff\xfe', 'x y', '.', '..', '', '\r', 'conf');
const path = fc
  .tuple(fc.constantFrom('/', '/', '/', '/', ''), fc.array(component, { maxLength: 4 }))
  .map(([lead, parts]) => `${lead}${parts.join('/')}`)
  .filter((p) => p !== '');
const hexDigits = fc.stringMatching(/^[0-9a-fA-F]{32}$/);
const md5Line = fc.tuple(hexDigits, fc.constantFrom('  ', '  ./', '  /', ' *', '  //./'), path).map(([hex, sep, p]) => `${hex}${sep}${p.replace(/^\/+/, '')}`);
const junkLine = fc.constantFrom('', 'not a digest line', `${'g'.repeat(32)}  usr/x`, `${'a'.repeat(32)} usr/x`, `${'a'.repeat(32)}  `, 'a'.repeat(31));
const lines = (arb: fc.Arbitrary<string>) => fc.tuple(fc.array(arb, { maxLength: 10 }), fc.boolean()).map(([l, nl]) => l.join('\n') + (nl && l.length ? '\n' : ''));

/** A package: its name (`root` and a non-ASCII one among them), which info name its files have, or none. */
const packageArb = fc.record({
  name: fc.constantFrom('p', 'q', 'root', 'l\xf6b'),
  multiArchSame: fc.boolean(),
  infoAs: fc.constantFrom('own', 'own', 'own', 'arch', 'bare', 'none'),
  list: lines(fc.oneof(path, fc.constantFrom('/.', ''))),
  md5sums: fc.option(lines(fc.oneof({ arbitrary: md5Line, weight: 4 }, { arbitrary: junkLine, weight: 1 })), { nil: undefined }),
  conffiles: fc.array(fc.tuple(path, fc.oneof(hexDigits, fc.constant('newconffile'))), { maxLength: 2 }),
});
const diversionsArb = fc.array(fc.tuple(path, path, fc.constantFrom('p', 'q', ':')), { maxLength: 2 });

/** A generated package (see packageArb). */
type Pkg = { name: string; multiArchSame: boolean; infoAs: string; list: string; md5sums: string | undefined; conffiles: Array<[string, string]> };

let made = 0;
/** Writes the database under a new admindir; returns it. */
function writeDatabase(pkgs: Pkg[], diversions: Array<[string, string, string]>): string {
  const admindir = join(top, `db${made++}`);
  mkdirSync(join(admindir, 'info'), { recursive: true });
  const file = (name: string, text: string) => writeFileSync(join(admindir, name), Buffer.from(text, 'latin1'));
  const stanzas = pkgs.map((p) => {
    const conffiles = p.conffiles.filter(([c]) => c.startsWith('/') && !c.includes('\n')).map(([c, d]) => `\n ${c} ${d}`);
    return `Package: ${p.name}\nStatus: install ok installed\nArchitecture: amd64\n${p.multiArchSame ? 'Multi-Arch: same\n' : ''}${conffiles.length ? `Conffiles:${conffiles.join('')}\n` : ''}`;
  });
  file('status', stanzas.join('\n'));
  file('diversions', diversions.map((d) => `${d.join('\n')}\n`).join(''));
  for (const p of pkgs) {
    if (p.infoAs === 'none') continue;
    // Names as node:fs spells a string path: in UTF-8.
    const base = p.infoAs === 'bare' ? p.name : p.infoAs === 'arch' || p.multiArchSame ? `${p.name}:amd64` : p.name;
    writeFileSync(join(admindir, 'info', `${base}.list`), Buffer.from(p.list, 'latin1'));
    if (p.md5sums !== undefined) writeFileSync(join(admindir, 'info', `${base}.md5sums`), Buffer.from(p.md5sums, 'latin1'));
  }
  return admindir;
}

const stringify = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Everything a loaded database says: its records, folder ids, source and package count; or the error. */
async function loaded(admindir: string, verify: DpkgVerifyMode, nativeDpkg: typeof native | false): Promise<unknown> {
  let db: PackageDatabase;
  try {
    db = await new DpkgDatabase({ admindir, verify, native: nativeDpkg }).load();
  } catch (error) {
    return { error: (error as Error).message };
  }
  const table = db.files as OwnedFileTable;
  return { records: [...table].map(stringify), folders: table.folderNames, source: db.source, packages: db.packageCount };
}

describe('the native dpkg loader', () => {
  it('is built', () => {
    expect(native).toBeDefined();
  });

  it('gives the table the JavaScript loader gives, for any packages, info names, diversions and spellings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(packageArb, { minLength: 1, maxLength: 5 }), diversionsArb, fc.constantFrom<DpkgVerifyMode>('content', 'none'), fc.boolean(), async (pkgs, diversions, verify, readAhead) => {
        const admindir = writeDatabase(pkgs, diversions);
        // Both ways the addon reads: ahead on a thread of its own, and on the parsing thread.
        process.env.WHAT_TO_BACKUP_READ_AHEAD = readAhead ? '1' : '0';
        expect(await loaded(admindir, verify, native)).toEqual(await loaded(admindir, verify, false));
        rmSync(admindir, { recursive: true });
      }),
      { numRuns: 300 },
    );
  });

  it('gives the table the JavaScript loader gives for long lists whose .md5sums has its own order, gaps and repeated paths', async () => {
    // Long enough for the lookups fetched ahead (16 paths on) to run: shuffled, in runs, or sorted.
    const entry = fc.record({ dir: fc.constantFrom('/usr/a', '/usr/b/c', '/etc', '/usr/\xff'), name: fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !/[\n/]/.test(n)) });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(entry, { minLength: 20, maxLength: 300, selector: (e) => `${e.dir}/${e.name}` }), fc.array(fc.nat(), { maxLength: 300 }), fc.nat(3), async (entries, order, repeats) => {
        const paths = entries.map((e) => `${e.dir}/${e.name}`);
        const listed = ['/usr', '/usr/b', ...new Set(entries.map((e) => e.dir)), ...paths];
        // The .md5sums: a permutation of most paths (the order's numbers pick each next one), some twice.
        const pool = [...paths];
        const sums: string[] = [];
        for (const n of order) if (pool.length) sums.push(pool.splice(n % pool.length, 1)[0]!);
        for (let r = 0; r < repeats && sums.length; r++) sums.push(sums[(r * 7) % sums.length]!);
        const md5sums = sums.map((p, i) => `${(i * 2654435761).toString(16).padStart(32, '0').slice(-32)}  ${p.slice(1)}\n`).join('');
        const pkg: Pkg = { name: 'p', multiArchSame: false, infoAs: 'own', list: `${listed.join('\n')}\n`, md5sums, conffiles: [] };
        const admindir = writeDatabase([pkg], []);
        for (const readAhead of ['1', '0']) {
          process.env.WHAT_TO_BACKUP_READ_AHEAD = readAhead;
          expect(await loaded(admindir, 'content', native)).toEqual(await loaded(admindir, 'content', false));
        }
        rmSync(admindir, { recursive: true });
      }),
      { numRuns: 60 },
    );
  });

  it('gives the table the JavaScript loader gives for info files large enough to be mapped (256 KB), beside small ones read', async () => {
    // Mapped, read, mapped again into the same slots; sizes on both sides of the boundary.
    const sized = (i: number, count: number): Pkg => {
      const paths = Array.from({ length: count }, (_, k) => `/usr/share/p${i}/${String(k).padStart(6, '0')}-${'n'.repeat(20)}`);
      const md5sums = paths.map((p, k) => `${(k * 2654435761 + i).toString(16).padStart(32, '0').slice(-32)}  ${p.slice(1)}\n`).join('');
      return { name: `p${i}`, multiArchSame: false, infoAs: 'own', list: `/usr\n/usr/share\n/usr/share/p${i}\n${paths.join('\n')}\n`, md5sums, conffiles: [] };
    };
    const pkgs = [sized(0, 7_000), sized(1, 20), sized(2, 3_900), sized(3, 9_000), sized(4, 1)];
    expect(Buffer.byteLength(pkgs[0]!.list, 'latin1')).toBeGreaterThan(256 * 1024);
    expect(Buffer.byteLength(pkgs[2]!.list, 'latin1')).toBeLessThan(256 * 1024);
    expect(Buffer.byteLength(pkgs[2]!.md5sums!, 'latin1')).toBeGreaterThan(256 * 1024);
    const admindir = writeDatabase(pkgs, []);
    for (const readAhead of ['1', '0']) {
      process.env.WHAT_TO_BACKUP_READ_AHEAD = readAhead;
      const ours = (await loaded(admindir, 'content', native)) as { records: string[] };
      expect(ours.records.length).toBeGreaterThan(19_900);
      expect(ours).toEqual(await loaded(admindir, 'content', false));
    }
    rmSync(admindir, { recursive: true });
  });

  it("gives the table the JavaScript loader gives for this machine's own dpkg database", async () => {
    const admindir = '/var/lib/dpkg';
    const ours = (await loaded(admindir, 'content', native)) as { records: string[] };
    expect(ours.records.length).toBeGreaterThan(1000);
    expect(ours).toEqual(await loaded(admindir, 'content', false));
  });

  it('reads many more packages than it reads ahead, and stops at one it cannot read, either way it reads', async () => {
    const pkgs = Array.from({ length: 300 }, (_, i): Pkg => ({
      name: `p${i}`,
      multiArchSame: i % 7 === 0,
      infoAs: i % 11 === 0 ? 'none' : 'own',
      list: `/usr\n/usr/p${i}\n/usr/p${i}/f\n`,
      md5sums: i % 3 ? `${'ab'.repeat(16)}  usr/p${i}/f\n` : undefined,
      conffiles: [],
    }));
    const admindir = writeDatabase(pkgs, []);
    for (const readAhead of ['1', '0']) {
      process.env.WHAT_TO_BACKUP_READ_AHEAD = readAhead;
      const whole = await loaded(admindir, 'content', native);
      expect(whole).toEqual(await loaded(admindir, 'content', false));
      expect((whole as { records: string[] }).records).toHaveLength(3 * 272);
    }
    rmSync(join(admindir, 'info/p200.list'));
    mkdirSync(join(admindir, 'info/p200.list'));
    for (const readAhead of ['1', '0']) {
      process.env.WHAT_TO_BACKUP_READ_AHEAD = readAhead;
      const failed = await loaded(admindir, 'content', native);
      expect(failed).toEqual({ error: `cannot read ${admindir}/info/p200.list: EISDIR: illegal operation on a directory, read` });
      expect(await loaded(admindir, 'content', false)).toEqual(failed);
    }
  });

  it('fails the load, as the JavaScript loader does, on an info file it cannot read or an info folder that is none', async () => {
    const admindir = writeDatabase([{ name: 'p', multiArchSame: false, infoAs: 'own', list: '/usr\n', md5sums: undefined, conffiles: [] }], []);
    rmSync(join(admindir, 'info'), { recursive: true });
    writeFileSync(join(admindir, 'info'), 'not a folder');
    const notFolder = await loaded(admindir, 'content', native);
    expect(notFolder).toEqual({ error: `cannot read ${admindir}/info/p.list: ENOTDIR: not a directory, open '${admindir}/info/p.list'` });
    expect(await loaded(admindir, 'content', false)).toEqual(notFolder);
    rmSync(join(admindir, 'info'));
    mkdirSync(join(admindir, 'info/p.md5sums'), { recursive: true });
    writeFileSync(join(admindir, 'info/p.list'), '/usr\n');
    const folder = await loaded(admindir, 'content', native);
    expect(folder).toEqual({ error: `cannot read ${admindir}/info/p.md5sums: EISDIR: illegal operation on a directory, read` });
    expect(await loaded(admindir, 'content', false)).toEqual(folder);
  });
});
