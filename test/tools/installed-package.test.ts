/**
 * The package as a user gets it: `npm pack`, installed globally into a temporary prefix, and run
 * from outside the repository, with nothing of the repository's node_modules (no `typescript`).
 * npm ci caches dependency tarballs but not the registry's metadata, so the install prefers the
 * cache and asks the registry only for what the cache lacks (after one run, nothing).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { childEnv, repoRoot } from '#test/support/child-env.js';

const run = promisify(execFile);
let top: string;
let prefix: string;
let home: string;

/** Runs `command` from the temporary folder, with only the installed programs added to PATH. */
function installed(command: string, args: string[], env: Record<string, string> = {}) {
  return run(join(prefix, 'bin', command), args, { cwd: top, env: childEnv({ PATH: `${prefix}/bin:${process.env.PATH ?? ''}`, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), ...env }) });
}

beforeAll(async () => {
  top = mkdtempSync(join(tmpdir(), 'cave-installed-'));
  prefix = join(top, 'prefix');
  home = join(top, 'home');
  mkdirSync(home);
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', top], { cwd: repoRoot });
  const tarball = join(top, stdout.trim().split('\n').at(-1)!);
  await run('npm', ['install', '--global', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: top, env: { ...process.env, npm_config_loglevel: 'error' } });
}, 300_000);
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('the package installed with npm install -g --prefix', () => {
  it('puts both programs on PATH, without the TypeScript compiler', () => {
    expect(existsSync(join(prefix, 'bin/what-to-backup'))).toBe(true);
    expect(existsSync(join(prefix, 'bin/telepathy-cave'))).toBe(true);
    expect(existsSync(join(prefix, 'lib/node_modules/cave/node_modules/typescript'))).toBe(false);
    expect(existsSync(join(prefix, 'lib/node_modules/typescript'))).toBe(false);
  });

  it('builds the native addons from the sources it ships (the install never fails without them: it falls back)', () => {
    for (const addon of ['walker.node', 'digest.node']) expect(existsSync(join(prefix, 'lib/node_modules/cave/build/Release', addon)), addon).toBe(true);
  });

  it('scans a real rpm system image', async () => {
    await run('bash', [join(repoRoot, 'docs/examples/backup/make-demo-system.sh'), join(top, 'rpm-system')], { env: childEnv({ HOME: home }) });
    const { stdout, stderr } = await installed('what-to-backup', ['--root', join(top, 'rpm-system')]);
    expect(stdout).toBe('/etc/greeter/greeter.conf\n/home/\n/usr/local/\n');
    expect(stderr).toMatch(/checked against rpm database .*: 2 packages/);
  }, 120_000);

  it('scans a real dpkg system image', async () => {
    await run('bash', [join(repoRoot, 'docs/examples/backup/make-demo-debian.sh'), join(top, 'debian')], { env: childEnv({ HOME: home }) });
    const { stdout, stderr } = await installed('what-to-backup', ['--root', join(top, 'debian'), '--package-db', 'dpkg']);
    expect(stdout).toContain('/etc/\n/usr/local/\n');
    expect(stderr).toMatch(/checked against dpkg database .*: 1 package/);
  }, 120_000);

  it('loads a TypeScript rule plugin', async () => {
    const plugin = join(top, 'my-rules.ts');
    copyFileSync(join(repoRoot, 'docs/examples/rules-plugin.ts'), plugin);
    mkdirSync(join(top, 'plugin-system'));
    writeFileSync(join(top, 'plugin-system/disk.qcow2'), 'image');
    const { stderr } = await installed('what-to-backup', ['--root', join(top, 'plugin-system'), '--package-db', 'none', '--rules-plugin', plugin]);
    expect(stderr).toContain('excluded  /disk.qcow2  rule vm-images');
  });

  it('has its man page where man finds it', async () => {
    const { stdout } = await run('man', ['-M', join(prefix, 'share/man'), '-P', 'cat', 'what-to-backup'], { env: { ...process.env, MANWIDTH: '100' } });
    expect(stdout).toMatch(/what-to-backup - list what a Linux system needs backed up/);
    expect(stdout).toContain('--for TOOL');
  });

  it('installs telepathy-cave for the user and has an echo conversation through D-Bus activation', async () => {
    const dataHome = join(home, '.local/share');
    const bus: PrivateBus = await startPrivateBus();
    try {
      mkdirSync(join(dataHome, 'dbus-1'), { recursive: true });
      symlinkSync(bus.serviceDir, join(dataHome, 'dbus-1/services'));
      const env = { XDG_DATA_HOME: dataHome, DBUS_SESSION_BUS_ADDRESS: bus.address };
      const { stdout: written } = await installed('telepathy-cave', ['install', '--user'], env);
      expect(written).toContain(`installed ${dataHome}/telepathy/managers/cave.manager`);
      const service = readFileSync(join(dataHome, 'dbus-1/services/org.freedesktop.Telepathy.ConnectionManager.cave.service'), 'utf8');
      expect(service).toContain(`${prefix}/lib/node_modules/cave/dist/bin/telepathy-cave.js`);
      const { stdout } = await installed('telepathy-cave', ['demo'], env);
      expect(stdout).toContain('· using your session bus, where telepathy-cave is installed');
      expect(stdout).toMatch(/echo@cave\.example: Hello\? Is anybody out there\?/);
      expect(stdout).toContain('· signed out; every message came straight back');
    } finally {
      await bus.stop();
    }
  }, 60_000);
});
