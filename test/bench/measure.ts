import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const scratch = mkdtempSync(join(tmpdir(), 'cave-measure-'));

/** Wall time and peak resident set of one command. */
export interface Measure {
  /** Wall time, seconds. */
  seconds: number;
  /** The longest wall time of the runs it is the best of: how far the machine's speed moved meanwhile. */
  slowest?: number | undefined;
  /** Peak resident set of the command, MB (needs /usr/bin/time). */
  peakMb: number | undefined;
  /**
   * CPU time of the command and its children, user and system, seconds (needs /usr/bin/time): set
   * against the wall time it says how many cores a run had (a scan uses two; `find` one).
   */
  cpuSeconds?: number | undefined;
}

/** Runs a shell command with its output thrown away; wall time, peak RSS and CPU time. Exit 1 (findings) is fine. */
export async function measure(command: string): Promise<Measure> {
  const out = join(scratch, 'time.txt');
  const start = performance.now();
  const argv = timer ? [timer, '-f', '%M %U %S', '-o', out, 'sh', '-c', command] : ['sh', '-c', command];
  await run(argv[0]!, argv.slice(1), { maxBuffer: 1 << 20 }).catch((e: { code?: number }) => {
    if (e.code !== 1) throw e;
  });
  const seconds = (performance.now() - start) / 1000;
  const [peakKb, user, system] = timer ? readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
  const cpu = (user ?? NaN) + (system ?? NaN);
  return { seconds, peakMb: Number.isFinite(peakKb) ? peakKb! / 1024 : undefined, cpuSeconds: Number.isFinite(cpu) ? cpu : undefined };
}

/** Folds run `m` into `seen`: the shortest wall time, the least CPU time, the largest peak. */
function keepBest(seen: Measure, m: Measure): void {
  seen.seconds = Math.min(seen.seconds, m.seconds);
  seen.slowest = Math.max(seen.slowest ?? 0, m.seconds);
  if (m.cpuSeconds !== undefined) seen.cpuSeconds = Math.min(seen.cpuSeconds ?? Infinity, m.cpuSeconds);
  if (m.peakMb !== undefined) seen.peakMb = Math.max(seen.peakMb ?? 0, m.peakMb);
}

/**
 * The best (shortest) of `rounds` runs, with the largest peak seen: the machine may be shared.
 * `command` may be a function of the round, for runs that must not meet what an earlier round left.
 */
export async function best(command: string | ((round: number) => string), rounds: number): Promise<Measure> {
  const seen: Measure = { seconds: Infinity, peakMb: undefined };
  for (let i = 0; i < rounds; i++) keepBest(seen, await measure(typeof command === 'string' ? command : command(i)));
  return seen;
}

/**
 * The best of `rounds` runs of each command, the commands taking turns within each round (in the
 * order given) rather than one command's runs back to back: a slow spell of a shared machine then
 * falls on every command of a round, not on one command's whole measure, and a ratio compares runs
 * made within the same minute. A command may be a function of the round, as in {@link best}.
 */
export async function interleaved<K extends string>(commands: Record<K, string | ((round: number) => string)>, rounds: number): Promise<Record<K, Measure>> {
  const keys = Object.keys(commands) as K[];
  const seen = Object.fromEntries(keys.map((k) => [k, { seconds: Infinity, peakMb: undefined }])) as Record<K, Measure>;
  for (let round = 0; round < rounds; round++) {
    for (const k of keys) {
      const command = commands[k];
      keepBest(seen[k], await measure(typeof command === 'string' ? command : command(round)));
    }
  }
  return seen;
}

/**
 * What the loaded database costs: load time in the process, and heap + external memory per owned
 * path (external: every Buffer's bytes, including those an addon hands over without a copy, which
 * process.memoryUsage().arrayBuffers leaves out).
 */
export interface LoadCost {
  /** Seconds from calling load() to having the database. */
  seconds: number;
  /** Owned-path records loaded. */
  owned: number;
  /** Bytes per record held by the loaded database alone. */
  databaseBytes: number;
  /** Bytes per record held by the database and the scan's ownership index. */
  indexBytes: number;
}

/**
 * Loads a database in a fresh node with --expose-gc (the built dist/), and measures from heap
 * statistics after a full collection what the database, and then its ownership index, hold; the
 * fastest of `rounds` loads, like the commands it is set against.
 */
export async function loadCost(adapter: 'rpm' | 'dpkg', root: string, dbpath: string, rounds = 1): Promise<LoadCost> {
  let best: LoadCost | undefined;
  for (let i = 0; i < rounds; i++) {
    const cost = await loadCostOnce(adapter, root, dbpath);
    if (best === undefined || cost.seconds < best.seconds) best = cost;
  }
  return best!;
}

/**
 * The load set against the bare command it parses (`rpm -qa --qf`, `cat` of dpkg's files), the two
 * taking turns round by round, best of `rounds` each. Both last 0.05-0.2 s: measured apart, minutes
 * from each other, a 10 ms hiccup moved dpkg's ratio by 0.2 (0.07 s against 0.05 s).
 */
export async function loadAgainst(bare: string, adapter: 'rpm' | 'dpkg', root: string, dbpath: string, rounds: number): Promise<{ bare: Measure; cost: LoadCost }> {
  const seen: Measure = { seconds: Infinity, peakMb: undefined };
  let cost: LoadCost | undefined;
  for (let i = 0; i < rounds; i++) {
    keepBest(seen, await measure(bare));
    const once = await loadCostOnce(adapter, root, dbpath);
    if (cost === undefined || once.seconds < cost.seconds) cost = once;
  }
  return { bare: seen, cost: cost! };
}

/**
 * How the program's start line (bin/what-to-backup.ts: `#!/usr/bin/env -S -u NAME ... node OPTIONS`)
 * starts node: the load is measured in the V8 the program runs in (with node's defaults the same
 * load of the 100k fixture took 360-380 ms against 340-355 ms), without the variables it unsets.
 */
function programStart(): { options: string[]; env: NodeJS.ProcessEnv } {
  const words = readFileSync(join(process.cwd(), 'dist/bin/what-to-backup.js'), 'utf8').split('\n', 1)[0]!.split(/\s+/).filter(Boolean);
  const node = words.indexOf('node');
  if (!words[0]!.startsWith('#!') || node < 0) throw new Error('what-to-backup starts without node on its first line');
  const env = { ...process.env };
  words.slice(0, node).forEach((word, i) => word === '-u' && delete env[words[i + 1]!]);
  return { options: words.slice(node + 1), env };
}

/** One fresh node's load of the database (see {@link loadCost}). */
async function loadCostOnce(adapter: 'rpm' | 'dpkg', root: string, dbpath: string): Promise<LoadCost> {
  const dist = join(process.cwd(), 'dist/backup');
  const script = `
    const { RpmDatabase } = await import('${dist}/adapters/rpm/rpm-database.js');
    const { DpkgDatabase } = await import('${dist}/adapters/dpkg/dpkg-database.js');
    const { NodeFileSystem } = await import('${dist}/adapters/node-fs/node-fs.js');
    const { OwnershipIndex } = await import('${dist}/scan/ownership-index.js');
    const held = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
    const before = held();
    const start = performance.now();
    const db = await (${JSON.stringify(adapter)} === 'rpm' ? new RpmDatabase({ root: ${JSON.stringify(root)}, dbpath: ${JSON.stringify(dbpath)} }) : new DpkgDatabase({ root: ${JSON.stringify(root)} })).load();
    const seconds = (performance.now() - start) / 1000;
    const loaded = held();
    const index = new OwnershipIndex(db, new NodeFileSystem(${JSON.stringify(root)}));
    const indexed = held();
    const owned = db.files.length;
    console.log(JSON.stringify({ seconds, owned, databaseBytes: (loaded - before) / owned, indexBytes: (indexed - before) / owned, keep: typeof index }));`;
  const { options, env } = programStart();
  const { stdout } = await run(process.execPath, [...options, '--expose-gc', '--input-type=module', '-e', script], { maxBuffer: 1 << 20, env });
  return JSON.parse(stdout) as LoadCost;
}

/** One line of the table: the figure, its target and whether it holds; `atLeast` for a floor rather than a ceiling. */
export function verdict(name: string, value: number, target: number, inputs: string, unit = '×', atLeast = false): string {
  const ok = (atLeast ? value >= target : value <= target) ? 'ok  ' : 'MISS';
  return `  ${ok} ${name.padEnd(46)} ${value.toFixed(2).padStart(8)}${unit} (target ${atLeast ? '>=' : '<='} ${target}${unit})  ${inputs}`;
}
