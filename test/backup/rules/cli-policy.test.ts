import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv, repoRoot } from '#test/support/child-env.js';

const run = promisify(execFile);
let top: string;
let sys: string;

/** The built CLI on the test system, without a package database (everything found is new). */
async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, [bins.whatToBackup, '--root', sys, '--package-db', 'none', ...args], { env: childEnv(), encoding: 'buffer' });
    return { code: 0, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() };
  } catch (error) {
    const e = error as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout.toString('latin1'), stderr: e.stderr.toString() };
  }
}

const file = (path: string, content = 'x', mode?: number) => {
  mkdirSync(join(sys, path, '..'), { recursive: true });
  writeFileSync(join(sys, path), content);
  if (mode !== undefined) chmodSync(join(sys, path), mode);
};

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-rules-cli-'));
  sys = join(top, 'sys');
  file('/etc/passwd', 'root:x:0:0::/root:/bin/sh\nother:x:54321:54321::/home/other:/bin/sh\n');
  file('/etc/group', 'root:x:0:\nother:x:54321:\n');
  file('/home/me/docs/a.txt', 'hello');
  file('/home/me/docs/private', 'secret', 0o600);
  file('/home/me/locked/one', '1');
  file('/home/me/locked/two', '2');
  chmodSync(join(sys, 'home/me/locked'), 0o700);
  file('/home/me/.cache/pip/wheel', 'cached');
  file('/home/me/.mozilla/firefox/ab.default/prefs.js', 'prefs');
  file('/home/me/vm.qcow2', 'disk');
  file('/var/lib/postgresql/16/main/base', 'db');
  file('/var/tmp/t', 't');
  file('/srv/app/data.sqlite', 'sqlite');
  file('/srv/app/data.sqlite-wal', 'wal');
  file('/srv/app/config.ini', 'ini');
  writeFileSync(join(top, 'rules'), '# mine\nskip /srv/app/config.ini name=ini  # generated\nsave /var/tmp/ name=keep-tmp\n');
  writeFileSync(join(top, 'broken-rules'), 'skip /fine\nsave /x when=noon\nkeep /y\n');
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('what-to-backup rules on the command line', () => {
  it('applies the built-in rules: skips caches and temporary files, dumps databases, saves browser profiles apart', async () => {
    const r = await cli(['/home', '/var', '/srv']);
    expect(r.code).toBe(0);
    const list = r.stdout.split('\n');
    expect(list).toContain('/home/me/.mozilla/firefox/ab.default/');
    expect(list).toContain('/home/me/docs/');
    expect(r.stdout).not.toMatch(/\.cache|postgresql|var\/tmp|sqlite/);
    expect(r.stderr).toContain('excluded  /home/me/.cache  rule caches: skip: per-user cache (XDG), rebuilt on demand');
    expect(r.stderr).toContain('excluded  /var/lib/postgresql  rule postgresql: dump with pg_dumpall: PostgreSQL cluster (Debian)');
    expect(r.stderr).toContain('excluded  /srv/app/data.sqlite  rule sqlite: dump with sqlite3 .backup');
    expect(r.stderr).toContain('ab.default/  save 5 bytes (all)  1 file, 0 dirs: prefs.js  [rule browser-profiles: save, when logged-out');
  });

  it('shows every rule in the JSON: on listed paths, tree nodes and reported entries', async () => {
    const json = JSON.parse((await cli(['--json', '/home', '/var'])).stdout);
    const profile = json.list.find((l: { path: string }) => l.path === '/home/me/.mozilla/firefox/ab.default');
    expect(profile.rule).toMatchObject({ rule: 'browser-profiles', action: 'save', when: 'logged-out', source: 'builtin' });
    const dumped = json.reported.find((r: { path: string }) => r.path === '/var/lib/postgresql');
    expect(dumped).toMatchObject({ class: 'excluded', rule: { action: 'dump', tool: 'pg_dumpall' } });
    expect(json.rules).toEqual({ builtin: true, off: [], files: [], plugins: [], inForce: expect.any(Number) });
  });

  it('switches the built-in rules off, all or by name', async () => {
    const none = await cli(['--no-builtin-rules', '/home', '/var']);
    expect(none.stdout).toBe('/home/\n/var/\n'); // nothing left out: each folds whole
    const noCaches = await cli(['--rules-off', 'caches', '--rules-off', 'postgresql', '/home', '/var']);
    expect(noCaches.stdout).toContain('/home/me/.cache/');
    expect(noCaches.stdout).toContain('/var/lib/\n'); // the database folder is all there is in /var/lib
    expect(noCaches.stdout).not.toContain('/var/tmp');
  });

  it("applies the user's rules file after the built-in ones", async () => {
    const r = await cli(['--rules', join(top, 'rules'), '/var', '/srv']);
    expect(r.stdout.split('\n')).toContain('/var/tmp/');
    expect(r.stdout).not.toContain('config.ini');
    expect(r.stderr).toContain(`excluded  /srv/app/config.ini  rule ini: skip: generated`);
    expect(r.stderr).toContain(`/var/tmp/  rule keep-tmp: save`);
  });

  it('applies a TypeScript plugin loaded by path', async () => {
    const r = await cli(['--rules-plugin', join(repoRoot, 'docs/examples/rules-plugin.ts'), '/home']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('vm.qcow2');
    expect(r.stderr).toContain('excluded  /home/me/vm.qcow2  rule vm-images: skip: rebuilt from the recipe');
  });

  it('refuses a broken rules file whole, naming each mistake by line and column, before scanning', async () => {
    const r = await cli(['--rules', join(top, 'broken-rules'), '/home']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'what-to-backup: broken rules file, nothing applied:\n' +
        `${join(top, 'broken-rules')}:2:14: when= must be one of logged-out, shutdown, single-user, not "noon"\n` +
        `${join(top, 'broken-rules')}:3:1: unknown action "keep" (expected skip, save, diff, dump)\n`,
    );
  });

  it('documents the options in --help', async () => {
    const r = await cli(['--help']);
    for (const option of ['--rules FILE', '--rules-plugin FILE', '--no-builtin-rules', '--rules-off NAME', '--readable-by USER', '--already-covered LIST']) {
      expect(r.stdout).toContain(option);
    }
  });

  it.each([
    [['--rules', '/no/such/rules'], /--rules \/no\/such\/rules: cannot read it \(ENOENT\)/],
    [['--rules-plugin', '/no/such/plugin.js'], /\/no\/such\/plugin.js: cannot load the plugin/],
    [['--rules-off', 'cache'], /no rule is named "cache" \(known: browser-profiles, caches,/],
    [['--readable-by', 'nobody-here'], /--readable-by: no user "nobody-here"/],
    [['--already-covered', '/no/such/list'], /--already-covered \/no\/such\/list: cannot read it \(ENOENT\)/],
  ])('exits 2 on %j', async (args, message) => {
    const r = await cli([...args, '/home']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('what-to-backup --readable-by', () => {
  it("flags what the user could not read, and the folders they could not enter, from the root's own passwd", async () => {
    const r = await cli(['--readable-by', 'other', '/home/me/docs', '/home/me/locked']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not readable by other \(a backup run as other would miss these\):\n {2}cannot read {2}\/home\/me\/docs\/private {2}\(uid \d+ gid \d+ mode 0600\)\n/);
    expect(r.stderr).toMatch(/cannot read {2}\/home\/me\/locked {2}\(uid \d+ gid \d+ mode 0700, hiding 2 entries to back up\)/);
    const json = JSON.parse((await cli(['--json', '--readable-by', 'other', '/home/me/docs'])).stdout);
    expect(json.readableBy).toEqual({ user: 'other', problems: [expect.objectContaining({ path: '/home/me/docs/private', problem: 'cannot read', hidden: 0 })] });
  });

  it('says so when the user can read everything', async () => {
    const r = await cli(['--readable-by', 'root', '/home/me/docs']);
    expect(r.stderr).toContain('readable by root: everything to back up\n');
  });
});

describe('what-to-backup --already-covered', () => {
  it("prints only what the user's list (text, -0 or JSON) leaves to back up", async () => {
    const userText = await cli(['/home/me']);
    const userNul = await cli(['-0', '/home/me']);
    const userJson = await cli(['--json', '/home/me']);
    const whole = (await cli(['/home', '/srv'])).stdout.split('\n').filter(Boolean);
    expect(whole).toContain('/home/me/docs/');
    for (const [name, list] of [
      ['text', userText.stdout],
      ['nul', userNul.stdout],
      ['json', userJson.stdout],
    ] as const) {
      const path = join(top, `covered.${name}`);
      writeFileSync(path, Buffer.from(list, 'latin1'));
      const r = await cli(['--already-covered', path, '/home', '/srv']);
      expect(r.code).toBe(0);
      const left = r.stdout.split('\n').filter(Boolean);
      expect(left, name).toEqual(whole.filter((p) => p !== '/home/me' && !p.startsWith('/home/me/')));
      expect(r.stderr).toContain(`already covered by ${path} (${name} list, `);
      const json = JSON.parse((await cli(['--json', '--already-covered', path, '/home', '/srv'])).stdout);
      expect(json.list.map((l: { path: string }) => l.path)).toEqual(left.map((p) => (p.endsWith('/') ? p.slice(0, -1) : p)));
      expect(json.alreadyCovered).toMatchObject({ format: name, dropped: whole.length - left.length });
    }
  });

  it('refuses a list it cannot read as a what-to-backup list', async () => {
    const path = join(top, 'not-a-list');
    writeFileSync(path, 'relative/path\n');
    const r = await cli(['--already-covered', path, '/home']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--already-covered ${path}:1:1: not an absolute path: "relative/path"`);
  });
});
