import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpmDatabase } from '#backup/adapters/rpm/rpm-database.js';
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';
import { buildRpmRoot, type RpmRoot } from '#test/support/rpm-root.js';

let sys: RpmRoot;

beforeAll(async () => {
  sys = await buildRpmRoot([
    {
      name: 'alpha',
      paths: [
        { path: '/usr/lib/alpha/a.txt', content: 'hello\n' },
        { path: "/usr/lib/alpha/it's here", content: 'q' },
        { path: '/usr/lib/alpha/caf\u00e9', content: 'utf8 name' },
        { path: '/usr/lib/alpha/link', kind: 'symlink', target: 'a.txt' },
        { path: '/usr/lib/alpha/d', kind: 'dir', mode: 0o750 },
        { path: '/etc/alpha.conf', content: 'x=1\n', config: true },
        { path: '/var/log/alpha.log', content: '', ghost: true },
      ],
    },
    { name: 'beta', paths: [{ path: '/usr/lib/alpha/a.txt', content: 'hello\n' }] },
  ]);
}, 120_000);

afterAll(() => sys?.remove());

describe('RpmDatabase (real rpm)', () => {
  it('loads every owned path with what rpm expects of it, in one query', async () => {
    const db = await new RpmDatabase({ root: sys.root }).load();
    expect(db.packageCount).toBe(2);
    expect(db.source).toBe(`rpm database ${sys.root}/var/lib/rpm`);
    const byPath = (p: string) => [...db.files].filter((f) => f.path === p);
    expect(byPath('/usr/lib/alpha/a.txt').map((f) => f.package).sort()).toEqual(['alpha-1.0-1.noarch', 'beta-1.0-1.noarch']);
    expect(byPath('/usr/lib/alpha/a.txt')[0]).toMatchObject({
      size: 6n,
      mode: 0o100644,
      digest: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
      digestAlgo: 'sha256',
      user: 'root',
      state: 'normal',
    });
    expect(byPath("/usr/lib/alpha/it's here")).toHaveLength(1);
    expect(byPath('/usr/lib/alpha/link')[0]).toMatchObject({ linkTarget: 'a.txt', mode: 0o120777 });
    expect(byPath('/usr/lib/alpha/d')[0]).toMatchObject({ mode: 0o40750 });
    expect(byPath('/etc/alpha.conf')[0]!.flags.config).toBe(true);
    expect(byPath('/var/log/alpha.log')[0]!.flags.ghost).toBe(true);
  });

  it('gives a non-ASCII name as its bytes, as the walk sees it', async () => {
    const db = await new RpmDatabase({ root: sys.root, dbpath: sys.dbpath }).load();
    expect([...db.files].filter((f) => f.path.startsWith('/usr/lib/alpha/caf')).map((f) => f.path)).toEqual(['/usr/lib/alpha/caf\xc3\xa9']);
  });

  it('says loudly when the database it reads lists no packages', async () => {
    const load = new RpmDatabase({ root: sys.root, dbpath: '/nowhere' }).load();
    await expect(load).rejects.toThrow(PackageDatabaseError);
    await expect(new RpmDatabase({ root: sys.root, dbpath: '/nowhere' }).load()).rejects.toThrow(/lists no packages.*--dbpath/);
  });

  it('says clearly when rpm is not installed', async () => {
    await expect(new RpmDatabase({ root: sys.root, rpm: 'rpm-not-installed-here' }).load()).rejects.toThrow(
      /rpm-not-installed-here is not installed.*--package-db none/,
    );
  });

  it('passes on rpm\'s own complaint when rpm fails', async () => {
    await expect(new RpmDatabase({ root: '/no/such/root' }).load()).rejects.toThrow(/rpm failed|lists no packages/);
  });
});

/** A fake rpm in `top`: its answer to the sealed query has `user` unescaped and the seal asked for, to the escaped one `user` quoted. */
function fakeRpm(top: string, user: string): string {
  const record = (owner: string, end: string) => `P\t'a-1'\t8\nF\t'/x'\t6\t33188\tabcdef\t1700000000\t''\t${owner}\troot\t0\t4294967295\t0\t0${end}\n`;
  writeFileSync(join(top, 'escaped'), record(`'${user.replaceAll("'", "'\\''")}'`, '').replace('\troot\t', "\t'root'\t"));
  writeFileSync(join(top, 'sealed'), record(user, '\tSEAL'));
  const script = [
    '#!/bin/sh',
    `cd '${top}'`,
    'printf "%s\\n" "$*" >> asked',
    'case "$*" in',
    '  *FILEUSERNAME:shescape*) cat escaped ;;',
    '  *) sed "s/SEAL/$(printf "%s" "$*" | sed -n \'s/.*FILERDEVS}\\\\t\\([0-9a-f]*\\)\\\\n].*/\\1/p\')/" sealed ;;',
    'esac',
  ].join('\n');
  writeFileSync(join(top, 'rpm'), `${script}\n`);
  chmodSync(join(top, 'rpm'), 0o755);
  return join(top, 'rpm');
}

describe('RpmDatabase asking the sealed query first', () => {
  it("reads the sealed query's answer alone when every name is plain; asks again, escaped, when one holds a quote", async () => {
    for (const [user, asks] of [['obrien', 1], ["o'brien", 2]] as const) {
      const top = mkdtempSync(join(tmpdir(), 'cave-sealed-'));
      try {
        const db = await new RpmDatabase({ root: top, dbpath: '/var/lib/rpm', rpm: fakeRpm(top, user) }).load();
        expect([...db.files].map((f) => [f.path, f.user, f.group])).toEqual([['/x', user, 'root']]);
        const asked = readFileSync(join(top, 'asked'), 'utf8').trim().split('\n');
        expect(asked).toHaveLength(asks);
        expect(asked[0]).toMatch(/%\{FILEUSERNAME\}\\t%\{FILEGROUPNAME\}.*%\{FILERDEVS\}\\t[0-9a-f]{16}\\n\]/);
        if (asks === 2) expect(asked[1]).toContain('%{FILEUSERNAME:shescape}');
      } finally {
        rmSync(top, { recursive: true, force: true });
      }
    }
  });
});

/** Runs `body` with a fresh folder holding an executable `rpm` script of `lines`; the folder is removed after. */
async function withRpmScript(name: string, lines: (top: string) => string[], body: (top: string, rpm: string) => Promise<void>): Promise<void> {
  const top = mkdtempSync(join(tmpdir(), `cave-${name}-`));
  try {
    writeFileSync(join(top, 'rpm'), `${['#!/bin/sh', ...lines(top)].join('\n')}\n`, { mode: 0o755 });
    await body(top, join(top, 'rpm'));
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}

describe("RpmDatabase reading rpm's answer", () => {
  it('reads it through a 1 MB pipe where the addon can make one, whole, however large, and fails as before', async () => {
    // 3,000 packages of one file each (about 400 KB, six times node's own pipe), then what its stdout is.
    const script = (top: string) => [
      `python3 -c "import fcntl, os, stat, sys; open(sys.argv[1], 'w').write('fifo %d' % fcntl.fcntl(1, 1032) if stat.S_ISFIFO(os.fstat(1).st_mode) else 'not a pipe')" '${top}/stdout'`,
      'seq 1 3000 | sed "s|.*|P\\t\'p&-1\'\\t8\\nF\\t\'/f&\'\\t6\\t33188\\tabcdef\\t1700000000\\t\'\'\\t\'root\'\\t\'root\'\\t0\\t4294967295\\t0\\t0|"',
      '[ -e "$0.fail" ] && { echo "database locked" >&2; exit 1; }',
      'exit 0',
    ];
    await withRpmScript('pipe', script, async (top, rpm) => {
      const db = await new RpmDatabase({ root: top, dbpath: '/var/lib/rpm', rpm }).load();
      expect(db.packageCount).toBe(3000);
      expect([...db.files].map((f) => f.path).slice(-2)).toEqual(['/f2999', '/f3000']);
      expect(readFileSync(join(top, 'stdout'), 'utf8').trim()).toBe(`fifo ${1 << 20}`); // F_GETPIPE_SZ
      writeFileSync(join(top, 'rpm.fail'), '');
      await expect(new RpmDatabase({ root: top, dbpath: '/var/lib/rpm', rpm }).load()).rejects.toThrow(/rpm failed: database locked/);
    });
  });
});

describe('RpmDatabase starting rpm', () => {
  // Debian's %_dbpath runs `bash -c`, and bash with a socket on its stdin (node's default) and SHLVL
  // below 2, as under npm or a service, reads ~/.bashrc as if sshd had started it.
  it('gives rpm /dev/null for its stdin, both when asking where the database is and for the query', async () => {
    const script = (top: string) => [
      `printf '%s %s\\n' "$3" "$(readlink /proc/self/fd/0)" >> '${top}/stdin'`,
      `case "$3" in --eval) echo /var/lib/rpm ;; *) printf "P\\t'a-1'\\t8\\nF\\t'/x'\\t6\\t33188\\tabcdef\\t1700000000\\t''\\t'root'\\t'root'\\t0\\t4294967295\\t0\\t0\\n" ;; esac`,
    ];
    await withRpmScript('stdin', script, async (top, rpm) => {
      mkdirSync(join(top, 'var/lib/rpm'), { recursive: true });
      writeFileSync(join(top, 'var/lib/rpm/rpmdb.sqlite'), '');
      const db = await new RpmDatabase({ root: top, rpm }).load();
      expect([...db.files].map((f) => f.path)).toEqual(['/x']);
      // The sealed query's answer is refused here (its seal is missing): the escaped query follows.
      expect(new Set(readFileSync(join(top, 'stdin'), 'utf8').trim().split('\n'))).toEqual(new Set(['--eval /dev/null', '--dbpath /dev/null']));
    });
  });
});
