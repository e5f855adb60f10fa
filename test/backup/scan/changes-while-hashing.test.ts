/**
 * Package files that vanish, grow, shrink or change type while being hashed, and a packaged FIFO,
 * end to end through the CLI on a real rpm root (issue #16). The change is made at a known moment
 * by the digest worker's test-only pause (adapters/digest-workers/test-pause.ts): before the
 * file is opened, or once it is open and not yet read.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, truncateSync, unlinkSync, appendFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv } from '#test/support/child-env.js';
import { buildRpmRoot, type RpmRoot } from '#test/support/rpm-root.js';

const run = promisify(execFile);
let sys: RpmRoot;
let work: string;

const DIR = '/usr/lib/racy';
const content = (name: string) => (name === 'shrinks' ? Buffer.alloc(3 << 20, 's') : Buffer.from(`${name} as packaged\n`));
/** How each file is changed while held; the names say what becomes of it. */
const changes: Record<string, (host: string) => void> = {
  grows: (host) => appendFileSync(host, 'appended while hashed\n'),
  shrinks: (host) => truncateSync(host, 1000),
  vanishes: (host) => unlinkSync(host),
  'becomes-folder': (host) => (unlinkSync(host), mkdirSync(host)),
  'becomes-fifo': (host) => (unlinkSync(host), execFileSync('mkfifo', [host])),
};
const names = Object.keys(changes);
const host = (name: string) => join(sys.root, DIR, name);

/** Puts every racy file back as packaged: same bytes, so only a digest can tell. */
function reset(): void {
  for (const name of names) {
    rmSync(host(name), { recursive: true, force: true });
    writeFileSync(host(name), content(name));
  }
}

/** Runs the CLI with hashing of `held` paused at `point`; each held file is changed, then let go. */
async function cliChanging(point: 'open' | 'read', held: string[], args: string[]) {
  reset();
  const gate = mkdtempSync(join(work, 'gate-'));
  const pause = JSON.stringify({ gate, point, paths: held.map((p) => join(sys.root, p)) });
  const env = childEnv({ XDG_CACHE_HOME: join(work, 'cache'), WHAT_TO_BACKUP_TEST_HASH_PAUSE: pause });
  const child = run(process.execPath, [bins.whatToBackup, '--root', sys.root, '--no-cache', ...args], { env, encoding: 'latin1', maxBuffer: 1 << 26, timeout: 90_000 });
  let exited = false;
  const done = child.then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e).finally(() => (exited = true));
  const pending = new Set(held.map((_, i) => i));
  while (pending.size && !exited) {
    for (const i of pending) {
      if (!existsSync(join(gate, `${i}.paused`))) continue;
      changes[held[i]!.slice(DIR.length + 1)]?.(join(sys.root, held[i]!));
      writeFileSync(join(gate, `${i}.go`), '');
      pending.delete(i);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const r = await done;
  return { ...r, held: [...held.keys()].filter((i) => existsSync(join(gate, `${i}.paused`))) };
}

interface Reported { path: string; class: string; reason?: string }
const reportedOf = (stdout: string) => (JSON.parse(Buffer.from(stdout, 'latin1').toString('utf8')) as { reported: Reported[] }).reported;
interface TreeNode { path: string; class: string | null; reason?: string; children?: TreeNode[] }
const nodes = (n: TreeNode): TreeNode[] => [n, ...(n.children ?? []).flatMap(nodes)];
const nulList = (stdout: string) => stdout.split('\0').slice(0, -1);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cave-racy-'));
  sys = await buildRpmRoot([
    {
      name: 'racy',
      paths: [
        ...names.map((name) => ({ path: `${DIR}/${name}`, content: content(name) })),
        { path: `${DIR}/intact`, content: 'intact\n' },
        { path: `${DIR}/pipe`, kind: 'fifo' as const, mode: 0o600 },
        { path: `${DIR}/pipe-chmod`, kind: 'fifo' as const, mode: 0o600 },
      ],
    },
  ]);
  chmodSync(join(sys.root, DIR, 'pipe-chmod'), 0o666);
}, 180_000);

afterAll(async () => {
  await sys?.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('package files changed while being hashed, through the CLI on a real rpm root', () => {
  const held = names.map((n) => `${DIR}/${n}`);

  it('once open and not yet read: each is unreadable (changed-while-reading), status 1, never "modified" or dropped', async () => {
    const r = await cliChanging('read', held, ['--json']);
    expect(r.stderr).toContain(`${names.length} entries could not be read`);
    expect(r.code).toBe(1);
    expect(r.held).toHaveLength(names.length); // every change happened mid-hash
    const racy = reportedOf(r.stdout).filter((e) => e.path.startsWith(DIR));
    expect(racy.map((e) => [e.path, e.class, e.reason?.replace(/^\S+\s*/, '')])).toEqual(
      names.map((n) => [`${DIR}/${n}`, 'unreadable', '(changed-while-reading)']).sort(),
    );
  }, 120_000);

  it('before it is opened: a vanished file says ENOENT, a replaced or resized one changed-while-reading', async () => {
    const r = await cliChanging('open', held, ['--json']);
    expect(r.code).toBe(1);
    expect(r.held).toHaveLength(names.length);
    const reasons = Object.fromEntries(reportedOf(r.stdout).filter((e) => e.path.startsWith(DIR)).map((e) => [e.path.slice(DIR.length + 1), [e.class, e.reason?.replace(/^\S+\s*/, '')]]));
    expect(reasons).toEqual({
      grows: ['unreadable', '(changed-while-reading)'],
      shrinks: ['unreadable', '(changed-while-reading)'],
      vanishes: ['unreadable', '(ENOENT)'],
      'becomes-folder': ['unreadable', '(changed-while-reading)'],
      'becomes-fifo': ['unreadable', '(changed-while-reading)'],
    });
  }, 120_000);

  it('-0 lists exactly the unchanged-package answer: no racy file listed as modified, the rest as without races', async () => {
    const quiet = await cliChanging('read', [], ['-0']);
    expect(quiet.code).toBe(0);
    const r = await cliChanging('read', held, ['-0']);
    expect(r.code).toBe(1);
    // An unreadable file is reported, never listed as a change; what is listed is what a calm run lists.
    expect(nulList(r.stdout)).toEqual(nulList(quiet.stdout));
    expect(nulList(r.stdout).filter((p) => p.startsWith(DIR))).toEqual([DIR, `${DIR}/pipe-chmod`]); // the folder itself: no package owns it
  }, 120_000);
});

describe('a package-owned FIFO on a real rpm root', () => {
  it('is verified by its metadata only: never opened by the hasher, never read, a mode change listed', async () => {
    // Bytes waiting in the FIFO: had anything read it, they would be gone.
    const fd = openSync(join(sys.root, DIR, 'pipe'), constants.O_RDWR | constants.O_NONBLOCK);
    try {
      writeSync(fd, 'still here');
      const r = await cliChanging('open', [`${DIR}/pipe`, `${DIR}/pipe-chmod`], ['--json']);
      expect(r.code).toBe(0);
      expect(r.held).toEqual([]); // the hasher never came to open either
      const json = JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8')) as { list: Array<{ path: string }>; tree: TreeNode };
      expect(json.list.map((e) => e.path).filter((p) => p.startsWith(`${DIR}/pipe`))).toEqual([`${DIR}/pipe-chmod`]);
      expect(nodes(json.tree).filter((n) => n.path.startsWith(`${DIR}/pipe`)).map((n) => [n.path, n.class, n.reason])).toEqual([[`${DIR}/pipe-chmod`, 'modified', '.M.......']]);
      expect(r.stderr).toMatch(/unmodified\)  3M in 7 entries/); // the untouched FIFO among them
      const buffer = Buffer.alloc(64);
      expect(buffer.subarray(0, readSync(fd, buffer)).toString()).toBe('still here');
    } finally {
      closeSync(fd);
    }
  }, 120_000);
});
