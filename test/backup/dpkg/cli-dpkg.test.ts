import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';
import { buildDebRoot, type DebRoot } from '#test/support/deb-root.js';

const run = promisify(execFile);
let sys: DebRoot;

async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, [bins.whatToBackup, '--root', sys.root, ...args], { env: childEnv(), maxBuffer: 1 << 26 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  const f = (path: string, content: string, config = false) => ({ path, content, config });
  sys = await buildDebRoot(
    [
      {
        name: 'cave-cli',
        paths: [
          f('/etc/cave-cli.conf', 'a = 1\n', true), f('/bin/cave-cli', 'v1\n'),
          f('/etc/cave-cli-intact.conf', 'b = 1\n', true),
          f('/bin/cave-cli-intact', 'intact\n'), f('/usr/share/cave-cli/data', 'data\n'),
        ],
      },
    ],
    { usrMerge: true },
  );
  writeFileSync(`${sys.root}/etc/cave-cli.conf`, 'a = 2\n');
  writeFileSync(`${sys.root}/usr/bin/cave-cli`, 'v2\n');
  writeFileSync(`${sys.root}/etc/local.conf`, 'mine\n');
}, 60_000);

afterAll(() => sys?.remove());

describe('what-to-backup on a Debian root', () => {
  it('finds the dpkg database by itself and lists changed package files and new ones', async () => {
    const { code, stdout, stderr } = await cli(['/etc', '/usr']);
    expect(code).toBe(0);
    // The merged-/usr folders the test root made by hand belong to no package: new, like local.conf.
    const made = ['/usr/bin', '/usr/lib/', '/usr/sbin/'];
    expect(stdout.split('\n').sort()).toEqual(['', '/etc/cave-cli.conf', '/etc/local.conf', ...made, '/usr/bin/cave-cli'].sort());
    expect(stderr).toContain(`checked against dpkg database ${sys.admindir}: 1 package, `);
  });

  it('loads ownership only with --verify=none', async () => {
    const { stdout } = await cli(['--package-db', 'dpkg', '--verify', 'none', '/etc', '/usr']);
    expect(stdout.split('\n')).toContain('/etc/local.conf');
    expect(stdout).not.toContain('/usr/bin/cave-cli');
  });

  it('refuses an unknown database kind or verify mode', async () => {
    expect((await cli(['--package-db', 'apk'])).code).toBe(2);
    expect((await cli(['--verify', 'some'])).code).toBe(2);
  });
});
