import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DpkgDatabase } from '#backup/adapters/dpkg/dpkg-database.js';
import { verifyPackageFiles } from '#test/backup/dpkg/dpkg-verify.js';
import { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';

const run = promisify(execFile);
/** Every Nth installed package (by name) makes the sample; BENCH_DPKG_EVERY=1 takes them all. */
const EVERY = Number(process.env.BENCH_DPKG_EVERY ?? 4);
const ROUNDS = Number(process.env.BENCH_DPKG_ROUNDS ?? 3);
const fs = new NodeFileSystem('/');
const digester = new WorkerDigester((path) => fs.host(path));

afterAll(() => digester.close());

/** Wall time of one run, in seconds; a tool that reports findings exits non-zero, which is fine here. */
async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

const quietly = (program: string, args: string[]) =>
  run(program, args, { maxBuffer: 1 << 28 }).catch((e: { code?: unknown }) => {
    if (typeof e.code !== 'number') throw e;
  });

describe("dpkg verification of this machine's own packages", () => {
  it('prints times and ratios against dpkg --verify and debsums -c', async () => {
    const all = await new DpkgDatabase().load();
    const names = [...new Set([...all.files].map((f) => f.package))].sort().filter((_, i) => i % EVERY === 0);
    const chosen = new Set(names);
    const sample = [...all.files].filter((f) => chosen.has(f.package));
    console.log(`${names.length} of ${all.packageCount} packages, ${sample.filter((f) => f.digest).length} files with a digest`);

    // One untimed pass first, so every contender meets the same warm page cache; then each is
    // timed ROUNDS times, interleaved, and the best run counts (this machine may be shared).
    await quietly('dpkg', ['--verify', ...names]);
    let found = 0;
    const contenders: Array<[string, () => Promise<unknown>]> = [
      ['dpkg --verify (baseline)', () => quietly('dpkg', ['--verify', ...names])],
      ...(existsSync('/usr/bin/debsums') ? [['debsums -c', () => quietly('debsums', ['-c', ...names])] as [string, () => Promise<unknown>]] : []),
      ['ours: load the dpkg database (all packages)', () => new DpkgDatabase().load()],
      ['ours: load, ownership only (--verify=none)', () => new DpkgDatabase({ verify: 'none' }).load()],
      [
        'ours: load + verify content (worker threads)',
        async () => {
          const db = await new DpkgDatabase().load();
          found = (await verifyPackageFiles([...db.files].filter((f) => chosen.has(f.package)), fs, digester)).length;
        },
      ],
    ];
    const best = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, work] of contenders) best.set(name, Math.min(best.get(name) ?? Infinity, await seconds(work)));
    }
    const rows = [...best];
    const dpkgVerify = best.get('dpkg --verify (baseline)')!;
    const ours = best.get('ours: load + verify content (worker threads)')!;
    console.log(`best of ${ROUNDS}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
    const width = Math.max(...rows.map(([n]) => n.length));
    for (const [name, s] of rows) {
      console.log(`${name.padEnd(width)}  ${s.toFixed(3).padStart(8)} s  ${(dpkgVerify / s).toFixed(2).padStart(7)}x faster than dpkg --verify`);
    }
    console.log(`ours found ${found} differing paths`);
    expect(ours).toBeGreaterThan(0);
  });
});
