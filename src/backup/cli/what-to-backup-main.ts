/**
 * The `what-to-backup` program as a function: options in, exit status out, output to the streams
 * it is given, so tests run it in-process as well as spawned.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { packageVersion } from '#shared/package-version.js';
import { renderNulList, renderTextList } from '#backup/report/list/flat-list.js';
import { bytesField, type SummaryJson, summaryJson } from '#backup/report/json/json-report.js';
import { writeJson } from '#backup/report/json/json-writer.js';
import { normalizeRoot } from '#backup/domain/paths/byte-path.js';
import type { PackageDatabase } from '#backup/domain/ports/package-database.port.js';
import type { ListingsAhead } from '#backup/domain/ports/file-system.port.js';
import type { LoadedPackageDb } from '#backup/adapters/package-db/package-db-choice.js';
import { BackupSummary } from '#backup/domain/summary/backup-summary.js';
import type { SummaryResult } from '#backup/domain/summary/summary-result.js';
import { scan, type ScanReport } from '#backup/scan/scan.js';
import { systemAccounts } from '#backup/adapters/accounts/accounts-file.js';
import { parseCliOptions, usage, UsageError, type CliOptions } from './cli-options.js';
import { PolicyError, preparePolicy, type Policy } from './cli-policy.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import type { DigestPort } from '#backup/domain/ports/digest.port.js';
import { startDigester, type Digester } from './start-digester.js';
import type { openDigestCache } from '#backup/adapters/digest-cache/digest-cache-file.js';
import { cacheFolder, folderInsideRoot } from '#backup/adapters/cache-folder/cache-folder.js';

type DigestCacheFile = ReturnType<typeof openDigestCache>;
import { PackageDatabaseError } from '#backup/domain/ports/package-database.port.js';
import { HeldDatabase, loadedDatabase } from './held-database.js';
import { ExcludeFileError, excludedByFile, withoutCacheFolder, type Exclusion } from './exclusion.js';
import { PluginError } from '#backup/domain/rules/plugin.js';
import { treeReport } from '#backup/report/tree/tree-report.js';
import { scanNotes } from './scan-notes.js';

// What only some runs need (--html, --for, --completions, a package database and the hashing
// and digest cache it brings, --exclude-from, a terminal's progress line) is imported when asked
// for: loading every module took half of a 0.3 s walk of 100,000 files.

/** What hashes without a package database: nothing (only an owned file's content is ever compared). */
const NO_DIGESTS: DigestPort = { digest: () => Promise.reject(new Error('nothing is hashed without a package database')) };

/** Where the program writes: process.stdout and process.stderr, or test doubles. */
export interface MainIo {
  /** Where the list goes (text, NUL-separated bytes, or JSON). */
  readonly stdout: {
    /** Writes a piece of the list. */
    write(chunk: string | Uint8Array): unknown;
  };
  /** Where the size report, the notes, problems and the progress line go. */
  readonly stderr: {
    /** Writes a piece of the report. */
    write(chunk: string): unknown;
    /** A terminal: show the one-line progress display. */
    readonly isTTY?: boolean;
    /** The terminal's width, for the progress line. */
    readonly columns?: number;
  };
  /** The environment (XDG_CACHE_HOME, HOME). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A reason the program cannot run, printed as `what-to-backup: MESSAGE`; exit status 2. */
class Refusal extends Error {}

/** What the scan runs with, once the options are checked and the database and policy loaded. */
interface Setup {
  readonly fs: NodeFileSystem;
  /** Hashes in the native addon on libuv's thread pool, else in worker threads (started on first use); none without a database. */
  readonly workers: Digester | undefined;
  /** The digest cache, read while the database loaded; undefined with --quick, --no-cache or no database. */
  readonly cache: DigestCacheFile | undefined;
  /** What hashes for the scan: the workers, through the cache when there is one. */
  readonly digester: DigestPort;
  /** What the walk does not look into: --exclude-from, the cache folder, skip and dump rules. */
  readonly exclusion: Exclusion;
  /** The walk's first listings, read while the database loaded. */
  readonly readAhead: ListingsAhead | undefined;
  readonly database: HeldDatabase;
  readonly dbNote: string | undefined;
  /** Keeps the package index for the next run (an rpm snapshot); a line for the report when it could not. */
  readonly keep: (() => string | undefined) | undefined;
  readonly policy: Policy;
}

/** What the scan produced. */
interface Scanned {
  readonly result: SummaryResult;
  readonly report: ScanReport;
  readonly cacheNote: string | undefined;
}

/**
 * Runs what-to-backup with `argv` (without node and script); resolves with the exit status:
 * 0 when the scan is complete, 1 when some entries could not be read, 2 when it could not run
 * (bad options, no usable package database, an `--html` file that cannot be written).
 */
export async function whatToBackup(argv: string[], io: MainIo): Promise<number> {
  try {
    return await runWith(parseCliOptions(argv), io);
  } catch (error) {
    io.stderr.write(failureText(error, io.env));
    return 2;
  }
}

async function runWith(options: CliOptions, io: MainIo): Promise<number> {
  if (options.help) return io.stdout.write(usage), 0;
  if (options.version) return io.stdout.write(`what-to-backup ${packageVersion()}\n`), 0;
  if (options.completions) {
    const [{ completionScript }, { whatToBackupCompletionExtras }] = await Promise.all([import('#shared/completions/completion-script.js'), import('./what-to-backup-page.js')]);
    return io.stdout.write(completionScript(options.completions, usage, whatToBackupCompletionExtras())), 0;
  }
  const setup = await prepare(options, io);
  const scanned = await scanSystem(options, setup, io);
  await writeHtml(options, scanned);
  const forTool = options.forTool === undefined ? undefined : await toolOutput(options, setup, scanned);
  writeOutputs(options, setup, scanned, io, forTool);
  return scanned.report.unreadable > 0 ? 1 : 0;
}

/**
 * What stderr says when the program cannot go on: one line. Status 1 means "complete, some
 * entries unreadable", so nothing unexpected may end with it, nor with a stack trace a user
 * cannot act on (WHAT_TO_BACKUP_DEBUG=1 shows it, for a bug report).
 */
function failureText(error: unknown, env: MainIo['env']): string {
  if (error instanceof UsageError) return `what-to-backup: ${error.message}\nTry 'what-to-backup --help'.\n`;
  if (error instanceof Refusal || error instanceof PluginError) return `what-to-backup: ${error.message}\n`;
  const message = error instanceof Error ? error.message : String(error);
  const stack = env['WHAT_TO_BACKUP_DEBUG'] && error instanceof Error ? `${error.stack}\n` : '';
  return `what-to-backup: internal error: ${message.split('\n')[0]} (WHAT_TO_BACKUP_DEBUG=1 shows where)\n${stack}`;
}

/** Checks the root, reads --exclude-from, loads the package database (and meanwhile the digest cache) and the policy. */
async function prepare(options: CliOptions, io: MainIo): Promise<Setup> {
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) throw new Refusal(`--root ${options.root} is not a directory`);
  const isExcluded = await excludedByFile(options.excludeFrom).catch((error: unknown) => {
    throw error instanceof ExcludeFileError ? new Refusal(error.message) : error;
  });
  // The digest cache's code, asked for first: it is needed as soon as the database's starts loading.
  const cacheCode = options.cache && options.packageDb !== 'none' && !options.quick ? import('#backup/adapters/digest-cache/digest-cache-file.js') : undefined;
  cacheCode?.catch(() => undefined); // awaited below
  const databases = options.packageDb === 'none' ? undefined : await import('#backup/adapters/package-db/package-db-choice.js');
  // Without --no-cache, rpm's answer is kept in the cache folder and used while its database is unchanged.
  const snapshotFolder = options.cache ? cacheFolder(io.env) : undefined;
  const loading = databases ? databases.loadPackageDb(options.packageDb, { ...options, snapshotFolder }) : Promise.resolve({ database: undefined, note: undefined, keep: undefined });
  loading.catch(() => undefined); // awaited below, after the cache is read
  const fs = new NodeFileSystem(options.root);
  // The walk's listings are read from here on, on a thread of their own, for a scan of one root.
  const rules = { oneFileSystem: options.oneFileSystem ?? true, mounts: fs.mountPoints() };
  const readAhead = options.roots.length === 1 ? fs.readAhead?.(normalizeRoot(options.roots[0]!), rules) : undefined;
  try {
    return await prepareScan(options, io, { fs, databases, loading, cacheCode, isExcluded, snapshotFolder, readAhead });
  } catch (error) {
    readAhead?.close();
    throw error;
  }
}

/** What {@link prepare} started: the database's loading, the file system and its read ahead. */
interface Started {
  readonly fs: NodeFileSystem;
  readonly databases: typeof import('#backup/adapters/package-db/package-db-choice.js') | undefined;
  readonly loading: Promise<LoadedPackageDb>;
  readonly cacheCode: Promise<typeof import('#backup/adapters/digest-cache/digest-cache-file.js')> | undefined;
  readonly isExcluded: Exclusion | undefined;
  readonly snapshotFolder: string | undefined;
  readonly readAhead: ListingsAhead | undefined;
}

/** The digest cache, the hashing, the policy, and the loaded database. */
async function prepareScan(options: CliOptions, io: MainIo, started: Started): Promise<Setup> {
  const { fs, databases, loading, cacheCode, isExcluded, snapshotFolder, readAhead } = started;
  // Read while rpm starts in its own process (measured: its first output comes 30-40 ms after the
  // spawn); wanted whenever there will be a database: one asked for, or one the root holds.
  const willHaveDatabase = databases !== undefined && (options.packageDb === 'auto' ? databases.detectPackageDb(options.root) : options.packageDb) !== 'none';
  const cache = cacheCode && willHaveDatabase ? (await cacheCode).openDigestCache(options.root, io.env) : undefined;
  const starting = databases === undefined ? undefined : startDigester(fs, io.env);
  // Read on libuv's pool while the hashing starts and this thread loads the database; awaited after it.
  const reading = cache && starting ? cache.digesterAhead(starting) : undefined;
  reading?.catch(() => undefined);
  const workers = await starting;
  const ownCache = snapshotFolder !== undefined && willHaveDatabase ? folderInsideRoot(snapshotFolder, options.root) : undefined;
  let database: HeldDatabase | undefined;
  let policy: Policy; // rules, --readable-by, --already-covered (cli-policy.ts)
  try {
    policy = await preparePolicy(options.policy, { root: options.root, fs, database: () => loadedDatabase(database) });
  } catch (error) {
    if (error instanceof PolicyError) throw new Refusal(error.message);
    throw error;
  }
  const exclusion = policy.isExcluded(withoutCacheFolder(isExcluded, ownCache));
  const loaded = await loading.catch((error: unknown) => {
    throw error instanceof PackageDatabaseError ? new Refusal(error.message) : error;
  });
  database = new HeldDatabase(loaded.database);
  const digester = (await reading) ?? workers ?? NO_DIGESTS;
  return { fs, workers, cache, digester, exclusion, readAhead, database, dbNote: loaded.note, keep: loaded.keep, policy };
}

/** Walks the system, hashing in worker threads (through the digest cache when it applies). */
async function scanSystem(options: CliOptions, setup: Setup, io: MainIo): Promise<Scanned> {
  const { fs, database, policy, workers, cache, digester, exclusion, readAhead } = setup;
  const summary = new BackupSummary({ foldsOver: policy.foldsOver });
  const progress = io.stderr.isTTY ? new (await import('./progress-line.js')).ProgressLine(io.stderr) : undefined;
  let report: ScanReport;
  try {
    report = await scan({
      fs,
      digester,
      accounts: systemAccounts(options.root),
      database: database.database,
      roots: options.roots,
      oneFileSystem: options.oneFileSystem,
      quick: options.quick,
      isExcluded: exclusion,
      readAhead,
      onEntry: (entry) => summary.add(policy.onEntry(entry)),
      onProgress: progress ? (n, path) => progress.update(n, path) : undefined,
    });
  } finally {
    progress?.clear();
    database.release();
    await workers?.close();
    fs.close();
  }
  const cacheNote = [setup.keep?.(), cache?.finish()].filter(Boolean).join('\n') || undefined; // before the summary grows its tree: the caches go first
  const result = summary.close();
  return { result, report, cacheNote };
}

const jsonBuilt = new WeakMap<Scanned, SummaryJson>();

/** The JSON form walks the whole collapsed tree: build it once for --html and --json together. */
function jsonOf(scanned: Scanned): SummaryJson {
  let json = jsonBuilt.get(scanned);
  if (json === undefined) {
    json = summaryJson(scanned.result);
    jsonBuilt.set(scanned, json);
  }
  return json;
}

/** `--html FILE`: the report page, written before anything else is printed. */
async function writeHtml(options: CliOptions, scanned: Scanned): Promise<void> {
  if (options.html === undefined) return;
  try {
    const { writeHtmlReport } = await import('./write-html-report.js');
    await writeHtmlReport(jsonOf(scanned), options.html);
  } catch (error) {
    throw new Refusal(`cannot write --html ${options.html}: ${(error as Error).message}`);
  }
}

/** `--for TOOL`: the tool's second file written, its stdout returned. */
async function toolOutput(options: CliOptions, setup: Setup, scanned: Scanned): Promise<Buffer> {
  const { result } = scanned;
  const { ForToolError, writeForTool } = await import('./write-for-tool.js');
  try {
    const list = setup.policy.list(result);
    const bare = setup.policy.openedFolders(result);
    return writeForTool({ tool: options.forTool!, secondFile: options.secondFile, root: options.root, list, bare, tree: result.root, rules: setup.policy.rules });
  } catch (error) {
    if (error instanceof ForToolError) throw new Refusal(error.message);
    throw error;
  }
}

/** The list (text, NUL-separated, JSON or a tool's) on stdout; the tree report and notes on stderr. */
function writeOutputs(options: CliOptions, setup: Setup, scanned: Scanned, io: MainIo, forTool: Buffer | undefined): void {
  const { policy } = setup;
  const database = setup.database.facts;
  const { result, report } = scanned;
  if (forTool !== undefined) {
    io.stdout.write(forTool);
  } else if (options.json) {
    const json = {
      ...jsonOf(scanned),
      ...policy.json(result),
      scan: {
        database: database?.source ?? null,
        quick: options.quick,
        unreadable: report.unreadable,
        missing: report.missing.map((m) => ({ ...bytesField('path', m.path), package: m.package, config: m.config })),
        vanished: report.vanished.map((p) => bytesField('path', p)),
      },
    };
    writeJson(json, (piece) => io.stdout.write(piece)); // any depth, indentation bounded
    io.stdout.write('\n');
  } else if (options.nul) {
    io.stdout.write(Buffer.from(renderNulList(policy.list(result)), 'latin1'));
  } else {
    io.stdout.write(renderTextList(policy.list(result)));
  }
  io.stderr.write(treeReport(result));
  io.stderr.write(policy.reportText(result));
  io.stderr.write(scanNotes(report, database, options.quick, setup.dbNote));
  if (scanned.cacheNote) io.stderr.write(`${scanned.cacheNote}\n`);
}
