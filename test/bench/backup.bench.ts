import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import { scan } from '#backup/scan/scan.js';
import { bins } from '#test/support/child-env.js';
import type { RpmRoot } from '#test/support/rpm-root.js';
import { generateRpmSystem } from './backup-tree.js';
import { VirtualFileSystem } from './virtual-file-system.js';
import { flatList } from '#backup/report/list/flat-list.js';

const run = promisify(execFile);
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
/** Another build of the CLI (e.g. main's dist/bin/what-to-backup.js) to time in the same run, for before/after. */
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI;
const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
let sys: RpmRoot;
let scratch: string;

interface Measure {
  seconds: number;
  /** Peak resident set of the command, MB (needs /usr/bin/time). */
  peakMb: number | undefined;
}

/** Runs a shell command with its output thrown away; wall time and peak RSS. */
async function measure(command: string): Promise<Measure> {
  const out = join(scratch, 'time.txt');
  const start = performance.now();
  const argv = timer ? [timer, '-f', '%M', '-o', out, 'sh', '-c', command] : ['sh', '-c', command];
  await run(argv[0]!, argv.slice(1), { maxBuffer: 1 << 20 }).catch((e: { code?: number }) => {
    if (e.code !== 1) throw e; // rpm -V and what-to-backup exit 1 when they report something
  });
  const seconds = (performance.now() - start) / 1000;
  const peakKb = timer ? Number(readFileSync(out, 'utf8').trim().split('\n').pop()) : NaN;
  return { seconds, peakMb: Number.isFinite(peakKb) ? peakKb / 1024 : undefined };
}

const rows: Array<[string, Measure]> = [];
const report = (name: string, m: Measure) => rows.push([name, m]);

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'cave-bench-'));
  const started = performance.now();
  const generated = await generateRpmSystem(FILES);
  sys = generated.sys;
  console.log(`generated ${FILES} files (${generated.owned} owned) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}, 3_600_000);

afterAll(async () => {
  await sys?.remove();
  rmSync(scratch, { recursive: true, force: true });
}, 600_000);

describe(`what-to-backup on a generated real-rpm root of ${FILES} files`, () => {
  it('prints times, ratios against find and rpm, and peak memory', async () => {
    const root = sys.root;
    const rpm = `rpm --root '${root}' --dbpath ${sys.dbpath}`;
    const cli = (options: string, program: string = bins.whatToBackup, cache = 'cache') =>
      `XDG_CACHE_HOME='${scratch}/${cache}' '${process.execPath}' '${program}' --root '${root}' -0 ${options} >/dev/null 2>&1`;
    const find = await measure(`find '${root}' -printf '%p %s %m %U %G %T@\\n' >/dev/null`);
    report('find -printf (baseline)', find);
    report('rpm -qa bulk query', await measure(`${rpm} -qa --qf '[%{FILENAMES}\\t%{FILESIZES}\\t%{FILEMODES}\\t%{FILEDIGESTS}\\n]' >/dev/null`));
    const va = await measure(`${rpm} -Va >/dev/null 2>&1`);
    report('rpm -Va', va);
    const vaNomtime = await measure(`${rpm} -Va --nomtime >/dev/null 2>&1`);
    report('rpm -Va --nomtime', vaNomtime);
    const full = await measure(cli('--no-cache'));
    report('what-to-backup (full, no cache)', full);
    const quick = await measure(cli('--quick'));
    report('what-to-backup --quick', quick);
    await measure(cli('')); // fills the digest cache
    const cached = await measure(cli(''));
    report('what-to-backup rescan with cache', cached);
    if (BASELINE_CLI) {
      report('baseline build: full, no cache', await measure(cli('--no-cache', BASELINE_CLI, 'baseline-cache')));
      report('baseline build: --quick', await measure(cli('--quick', BASELINE_CLI, 'baseline-cache')));
      await measure(cli('', BASELINE_CLI, 'baseline-cache'));
      report('baseline build: rescan with cache', await measure(cli('', BASELINE_CLI, 'baseline-cache')));
    }

    // The obvious per-file way, on a sample, extrapolated to every file.
    const { stdout } = await run('sh', ['-c', `find '${root}' -type f | head -n 400 | awk 'NR % 20 == 0'`]);
    const sample = stdout.trim().split('\n').map((p) => p.slice(root.length));
    const perFileStart = performance.now();
    for (const path of sample) await run('sh', ['-c', `${rpm} -qf '${path}' >/dev/null 2>&1; true`]);
    const perFile = ((performance.now() - perFileStart) / 1000 / sample.length) * FILES;
    report(`rpm -qf per file (${sample.length} sampled, extrapolated)`, { seconds: perFile, peakMb: undefined });

    const width = Math.max(...rows.map(([n]) => n.length));
    const lines = rows.map(([name, m]) => {
      const rss = m.peakMb === undefined ? '' : `  peak ${m.peakMb.toFixed(0).padStart(5)} MB`;
      return `  ${name.padEnd(width)}  ${m.seconds.toFixed(2).padStart(8)} s  ${(m.seconds / find.seconds).toFixed(1).padStart(8)}x find${rss}`;
    });
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    console.log(
      [
        `what-to-backup benchmark, ${FILES} files (load average ${load}: on a busy machine every ratio suffers):`,
        ...lines,
        `  full scan vs find + rpm -Va --nomtime together: ${(full.seconds / (find.seconds + vaNomtime.seconds)).toFixed(2)} (target <= 1)`,
        `  --quick vs find: ${(quick.seconds / find.seconds).toFixed(2)} (target <= 2)`,
        `  cached rescan vs find: ${(cached.seconds / find.seconds).toFixed(2)} (target <= 2)`,
        `  per-file way vs full scan: ${(perFile / full.seconds).toFixed(0)}x slower (target >= 1000)`,
        `  full scan vs rpm -Va: ${(va.seconds / full.seconds).toFixed(1)}x faster`,
      ].join('\n'),
    );
    expect(full.seconds).toBeGreaterThan(0);
  }, 3_600_000);

  it('keeps memory small on a million-file tree whose folders are all new', async () => {
    const fs = new VirtualFileSystem(1000, 1000);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const summary = new BackupSummary();
    const start = performance.now();
    const result = await scan({
      fs,
      digester: { digest: async () => ({ ok: false, code: 'EINVAL' }) },
      accounts: { userName: () => 'root', groupName: () => 'root', uidOf: () => 0n, gidOf: () => 0n },
      onEntry: (e) => summary.add(e),
      onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
    });
    const listed = flatList(summary.close().root);
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `million-file virtual tree: ${result.entries} entries in ${seconds.toFixed(1)} s, ` +
        `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (${((peak - before) / 2 ** 20).toFixed(0)} MB above the start; target <= 150 MB), list: ${listed.join(' ')}`,
    );
    expect(listed).toEqual(['/']);
  }, 600_000);
});
