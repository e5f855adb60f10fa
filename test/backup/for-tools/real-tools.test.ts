/**
 * The guide's recipes (docs/what-to-backup.md, "Handing the list to a backup tool"), run with the
 * real tools on a real rpm system image: new files, a changed config, intact package files, a
 * folder saved whole, bare folders, and names a shell or a line-based format would break. Each
 * restore must hold every listed entry byte for byte and nothing unlisted; a skip-rule match that
 * appears after the scan stays out where the tool takes excludes.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bins, childEnv, repoRoot } from '#test/support/child-env.js';
import { restoreProblems, treePaths } from './restored-tree.js';

const run = promisify(execFile);

/** One recipe: the scan, then (after the tree drifted) the backup and the restore into `restored`. */
interface Recipe {
  readonly scan: string;
  readonly backup: readonly string[];
  readonly restore: readonly string[];
  /** The tool takes the skip rules as its own excludes. */
  readonly excludes: boolean;
}

const scanned = 'what-to-backup --root "$PWD/system" --exclude-from exclude';
const recipes: Record<string, Recipe> = {
  restic: {
    scan: `${scanned} --for restic --excludes-to excludes >list`,
    backup: ['restic init --repo repo --quiet', '(cd system && restic --repo ../repo backup --quiet --files-from-raw ../list --exclude-file ../excludes)'],
    restore: ['restic --repo repo restore latest --target restored --quiet'],
    excludes: true,
  },
  tar: {
    scan: `${scanned} --for tar --folders-to folders >entries`,
    backup: ['tar --null -C system -cf backup.tar --no-recursion -T entries --recursion -T folders'],
    restore: ['mkdir restored && tar -C restored -xpf backup.tar'],
    excludes: false,
  },
  rsync: {
    scan: `${scanned} --for rsync >filter`,
    backup: ["rsync -a --from0 --filter='merge filter' system/ restored/"],
    restore: [],
    excludes: true,
  },
  borg: {
    scan: `${scanned} --for borg >patterns`,
    backup: ['borg init --encryption none repo', '(cd system && borg create --patterns-from ../patterns ../repo::scan)'],
    restore: ['mkdir restored && cd restored && borg extract ../repo::scan'],
    excludes: true,
  },
};

let base: string;
let binDir: string;
let list: string[];
let sourcePaths: string[];

/** Names that a shell loop, a line-based list or a glob would get wrong. */
const oddNames = ['new\nline', 'trailing ', ' leading', 'back\\slash', 'st*r?[x]', '-dash', '$HOME', 'caf\xc3\xa9', 'latin\xe9'];

function bash(script: string, cwd: string): Promise<{ stdout: string; stderr: string }> {
  const home = join(cwd, 'home');
  mkdirSync(home, { recursive: true });
  const env = childEnv({ PATH: `${binDir}:${process.env.PATH ?? ''}`, HOME: home, RESTIC_PASSWORD: 'test', BORG_BASE_DIR: home });
  return run('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, maxBuffer: 64 << 20 });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'cave-for-tools-'));
  binDir = join(base, 'bin');
  mkdirSync(binDir);
  symlinkSync(bins.whatToBackup, join(binDir, 'what-to-backup'));
  await bash(`"${repoRoot}docs/examples/backup/make-demo-system.sh" system >/dev/null`, base);
  const system = join(base, 'system');
  const alice = Buffer.from(`${system}/home/alice/`, 'latin1');
  for (const name of oddNames) writeFileSync(Buffer.concat([alice, Buffer.from(name, 'latin1')]), `content of ${name}\n`);
  mkdirSync(`${system}/home/alice/whole [dir]*`);
  writeFileSync(`${system}/home/alice/whole [dir]*/inside`, 'saved with its folder\n');
  symlinkSync('notes.txt', `${system}/home/alice/link`);
  mkdirSync(`${system}/home/alice/empty-bare`);
  writeFileSync(`${system}/home/alice/empty-bare/only.jpg`, 'left out\n');
  chmodSync(`${system}/home/alice/empty-bare`, 0o750);
  writeFileSync(join(base, 'exclude'), '*.jpg\n');
  const { stdout } = await bash('what-to-backup -0 --root "$PWD/system" --exclude-from exclude 2>/dev/null | base64 -w0', base);
  list = Buffer.from(stdout, 'base64').toString('latin1').split('\0').slice(0, -1);
  sourcePaths = treePaths(system);
}, 120_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.each(Object.entries(recipes))('--for %s', (tool, recipe) => {
  it('restores every listed entry byte for byte and nothing unlisted', async () => {
    const work = join(base, tool);
    mkdirSync(work);
    await bash('cp -a ../system ../exclude .', work); // cp keeps names that are not UTF-8
    await bash(recipe.scan, work);
    // What a skip rule matches, appearing after the scan inside a folder saved whole.
    writeFileSync(join(work, 'system/usr/local/drift.sqlite-wal'), 'journal\n');
    mkdirSync(join(work, 'system/tmp/new'), { recursive: true });
    await bash([...recipe.backup, ...recipe.restore].join('\n'), work);
    expect(restoreProblems(list, join(work, 'system'), sourcePaths, join(work, 'restored'))).toEqual([]);
    if (recipe.excludes) expect(existsSync(join(work, 'restored/usr/local/drift.sqlite-wal'))).toBe(false);
  }, 120_000);
});

describe('the recipes', () => {
  it('are the ones the guide shows', () => {
    const guide = readFileSync(join(repoRoot, 'docs/what-to-backup.md'), 'utf8');
    const lines = Object.values(recipes).flatMap((recipe) => [recipe.scan, ...recipe.backup, ...recipe.restore]);
    expect(lines.filter((line) => !guide.includes(line))).toEqual([]);
  });

  it('cover a bare folder, a folder saved whole and odd names in the list', () => {
    expect(list).toContain('/home/alice');
    expect(list).toContain('/home/alice/empty-bare');
    expect(list).toContain('/usr/local/');
    expect(list).toContain('/home/alice/whole [dir]*/');
    expect(list).toContain('/home/alice/new\nline');
    expect(list).toContain('/home/alice/latin\xe9');
  });
});

describe('a name a tool cannot read', () => {
  it('stops the run with exit status 2 and says which, instead of handing over a wrong list', async () => {
    const work = join(base, 'refused');
    mkdirSync(join(work, 'system/data/bare\nfolder'), { recursive: true });
    writeFileSync(join(work, 'system/data/bare\nfolder/photo.jpg'), 'left out\n');
    writeFileSync(join(work, 'exclude'), '*.jpg\n');
    const failed = await bash(`${scanned} --package-db none --for restic --excludes-to excludes >list`, work).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("what-to-backup: --for restic: restic's exclude file cannot hold /data/bare\nfolder");
  });
});
