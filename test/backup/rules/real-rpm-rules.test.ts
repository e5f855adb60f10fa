import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';
import { buildRpmRoot, type RpmRoot } from '#test/support/rpm-root.js';

const run = promisify(execFile);
let sys: RpmRoot;

async function cli(args: string[]) {
  const r = await run(process.execPath, [bins.whatToBackup, '--root', sys.root, '--dbpath', sys.dbpath, ...args], { env: childEnv() });
  return { stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  sys = await buildRpmRoot([
    {
      name: 'sshd',
      version: '9.6',
      paths: [
        { path: '/etc/ssh/sshd_config', content: 'PermitRootLogin no\n', config: true },
        { path: '/etc/ssh/moduli', content: 'moduli\n', config: true },
        { path: '/usr/sbin/sshd', content: 'binary\n', mode: 0o755 },
      ],
    },
  ]);
  writeFileSync(`${sys.root}/etc/ssh/sshd_config`, 'PermitRootLogin yes\n');
  chmodSync(`${sys.root}/etc/ssh/sshd_config`, 0o600);
  writeFileSync(`${sys.root}/etc/passwd`, 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
  writeFileSync(`${sys.root}/etc/group`, 'root:x:0:\nalice:x:1000:\n');
  mkdirSync(`${sys.root}/home/alice`, { recursive: true });
  writeFileSync(`${sys.root}/home/alice/notes`, 'mine\n');
  writeFileSync(`${sys.root}/rules`, 'diff /etc/** name=configs # keep only my changes\nsave /usr/sbin/sshd name=pin # pin this build\n');
}, 120_000);

afterAll(() => sys?.remove());

describe('rules on a real rpm system', () => {
  it('marks a changed config file (content and mode) for diff with the evidence rpm gives and its package, and forces save of an intact file', async () => {
    const { stdout, stderr } = await cli(['--json', '--rules', `${sys.root}/rules`, '/etc/ssh', '/usr/sbin']);
    const json = JSON.parse(stdout);
    const config = json.list.find((l: { path: string }) => l.path === '/etc/ssh/sshd_config');
    expect(config.rule).toMatchObject({ rule: 'configs', action: 'diff', note: 'keep only my changes' });
    expect(config.rule.evidence).toMatch(/^SM5\.\.\.\.[.T]\. c sshd-9\.6-1\.noarch$/);
    expect(json.list.map((l: { path: string }) => l.path)).not.toContain('/etc/ssh/moduli'); // intact: nothing to diff
    const pinned = json.list.find((l: { path: string }) => l.path === '/usr/sbin/sshd');
    expect(pinned.rule).toMatchObject({ rule: 'pin', action: 'save' });
    expect(stderr).toMatch(/sshd_config {2}save 20 bytes {2}modified \(SM5\.\.\.\.[.T]\. c\) {2}\[rule configs: diff \[SM5\.\.\.\.[.T]\. c sshd-9\.6-1\.noarch\]: keep only my changes\]/);
    expect(stderr).toMatch(/sshd {2}save 7 bytes {2}modified \(forced by rule pin\) {2}\[rule pin: save: pin this build\]/);
  });

  it('flags what a user could not read, and drops what their own list covers', async () => {
    const user = await cli(['/home/alice']);
    writeFileSync(`${sys.root}/../alice-list`, user.stdout);
    const { stdout, stderr } = await cli(['--readable-by', 'alice', '--already-covered', `${sys.root}/../alice-list`, '/home', '/etc/ssh']);
    expect(user.stdout).toBe('/home/alice/\n');
    expect(stdout.split('\n')).toContain('/etc/ssh/sshd_config');
    expect(stdout).not.toContain('/home/alice');
    expect(stderr).toMatch(/cannot read {2}\/etc\/ssh\/sshd_config {2}\(uid 0 gid 0 mode 0600\)/);
    expect(stderr).toContain('already covered by');
  });
});
