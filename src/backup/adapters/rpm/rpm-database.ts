import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { PackageDatabaseError, type PackageDatabase, type PackageDatabasePort } from '#backup/domain/ports/package-database.port.js';
import { RPM_QUERY_FORMAT, sealedQueryFormat } from '#backup/domain/rpm/rpm-query-format.js';
import { RpmQueryError } from '#backup/domain/rpm/rpm-query-error.js';
import type { RpmQueryReader } from '#backup/domain/rpm/rpm-query-reader.js';
import { hasDatabase, KNOWN_DBPATHS } from './known-dbpaths.js';
import { widePipe } from '#backup/adapters/native-walker/wide-pipe.js';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';
import { nodeCrypto } from '#backup/adapters/native-walker/sha256-of.js';
import type { KeptDatabase, RpmSnapshots } from '#backup/adapters/rpm-snapshot/rpm-snapshot.js';

/** rpm's answer comes through a pipe this wide: through node's own, rpm waited whenever the parse fell behind (0.1 s of a 0.35 s load). */
const PIPE_BYTES = 1 << 20;

/**
 * `count` random bytes as hex, from the kernel's /dev/urandom; else from node:crypto, whose load
 * (6-8 ms on the machine measured) would otherwise come before rpm starts.
 */
function randomHex(count: number): string {
  const bytes = Buffer.alloc(count);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes, 0, count, null) === count) return bytes.toString('hex');
    } finally {
      closeSync(fd);
    }
  } catch {
    // no /dev/urandom here: node's generator
  }
  return nodeCrypto().randomBytes(count).toString('hex');
}

/** Where the rpm database is and which rpm program reads it. */
export interface RpmOptions {
  /** The scanned system's top directory on this host (rpm --root). */
  root?: string;
  /** The database folder inside the root (rpm --dbpath); found automatically when absent. */
  dbpath?: string;
  /** The rpm program to run. */
  rpm?: string;
  /** Where the table of the last query is kept, to be used instead of a query while the database is unchanged; none: always query. */
  snapshots?: RpmSnapshots | undefined;
}

/** The real rpm database, read with one bulk `rpm -qa --qf` query. */
export class RpmDatabase implements PackageDatabasePort {
  private readonly root: string;
  private readonly rpm: string;
  /** After a load by query: keeps its table for the next run (a snapshot), when the database held still during the query. */
  keep: (() => void) | undefined;

  constructor(private readonly options: RpmOptions = {}) {
    this.root = options.root ?? '/';
    this.rpm = options.rpm ?? 'rpm';
  }

  private failure(error: Error & { code?: unknown }, stderr: string): PackageDatabaseError {
    if (error.code === 'ENOENT') {
      return new PackageDatabaseError(`${this.rpm} is not installed, so package ownership cannot be checked; use --package-db none to list everything`);
    }
    return new PackageDatabaseError(`rpm failed: ${stderr.trim() || error.message}`);
  }

  /**
   * Starts rpm on the root with `args`, its output to `stdout`. Plain child_process rather than
   * execa: importing execa alone took ~75 ms of every start (measured), for one spawn. Its stdin
   * is /dev/null, not the socket node would give it: Debian's `%_dbpath` runs `bash -c`, and bash
   * with a socket on its stdin and SHLVL below 2 (as under npm, vitest or a service) reads
   * ~/.bashrc as if sshd had started it. Measured on this machine: root's pyenv set-up there, 240
   * more processes and 0.2 s more CPU for every run that asks rpm where its database is.
   */
  private spawnRpm(args: string[], stdout: 'pipe' | number = 'pipe'): ChildProcess {
    return spawn(this.rpm, ['--root', this.root, ...args], { stdio: ['ignore', stdout, 'pipe'] });
  }

  /** Runs rpm and collects its output. */
  private run(args: string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = this.spawnRpm(args);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => reject(this.failure(error, '')));
      child.on('close', (code, signal) => {
        if (code === 0) resolve(Buffer.concat(out));
        else reject(this.failure(new Error(`rpm ${args.join(' ')} ended with ${code ?? signal}`), Buffer.concat(err).toString('utf8')));
      });
    });
  }

  /**
   * The bulk query, sealed (sealedQueryFormat: rpm escapes no owner's name, a quarter of its time);
   * any answer the reader refuses, as one where a name held a tab, newline or quote, is thrown away
   * whole and the escaped query asked instead, which reads any name exactly or says what is wrong.
   */
  private async query(path: string): Promise<RpmQueryReader> {
    // Loaded only here, while rpm starts (its first output comes 25-40 ms after the spawn): a run
    // that finds the database unchanged reads its snapshot instead (~5 ms of modules saved).
    const code = import('#backup/domain/rpm/rpm-query-reader.js');
    const seal = randomHex(8);
    const scanner = loadNativeWalker(process.env)?.rpmSpans; // the records of each chunk in one call: the parse's byte loop
    try {
      return await this.read(path, sealedQueryFormat(seal), code.then(({ RpmQueryReader }) => new RpmQueryReader(seal, scanner)));
    } catch (error) {
      if (!(error instanceof RpmQueryError)) throw error;
    }
    return this.read(path, RPM_QUERY_FORMAT, code.then(({ RpmQueryReader }) => new RpmQueryReader(undefined, scanner)));
  }

  /**
   * Runs a query and parses its output as it arrives: a large database's output (hundreds of
   * megabytes on a big system) is never held whole, only the compact table it becomes. What comes
   * before `ready` gives the reader waits for it, in order.
   */
  private read(path: string, format: string, ready: Promise<RpmQueryReader>): Promise<RpmQueryReader> {
    return new Promise((resolve, reject) => {
      const { child, output } = this.spawnQuery(path, format);
      let reader: RpmQueryReader | undefined;
      const early: Buffer[] = [];
      let stderr = '';
      let failed: Error | undefined;
      let ended = output === child.stdout; // node's own pipe is part of the child's 'close'
      let closed: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      const finish = (): void => {
        if (!ended || closed === undefined || (reader === undefined && !failed)) return;
        if (failed) return reject(failed);
        if (closed.code !== 0) return reject(this.failure(new Error(`rpm exited with ${closed.code ?? closed.signal}`), stderr));
        try {
          reader!.end();
          resolve(reader!);
        } catch (error) {
          reject(error as Error);
        }
      };
      const feed = (chunk: Buffer): void => {
        if (failed) return;
        try {
          reader!.feed(chunk);
        } catch (error) {
          failed = error as Error;
          child.kill();
        }
      };
      ready.then(
        (made) => ((reader = made), early.splice(0).forEach(feed), finish()),
        (error: Error) => ((failed ??= error), child.kill(), finish()),
      );
      output.on('data', (chunk: Buffer) => (reader ? feed(chunk) : early.push(chunk)));
      output.on('error', (error: Error) => void (failed ??= error));
      output.on('close', () => ((ended = true), finish()));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', (error) => (output.destroy(), reject(this.failure(error, stderr))));
      child.on('close', (code, signal) => ((closed = { code, signal }), finish()));
    });
  }

  /** Starts rpm with `format`; its output comes through a wide pipe where one can be made (wide-pipe.ts), else node's own. */
  private spawnQuery(path: string, format: string): { child: ChildProcess; output: Readable } {
    const pipe = widePipe(PIPE_BYTES);
    let child: ChildProcess;
    try {
      child = this.spawnRpm(['--dbpath', path, '-qa', '--qf', format], pipe?.write ?? 'pipe');
    } catch (error) {
      if (pipe) closeSync(pipe.read);
      throw error;
    } finally {
      if (pipe) closeSync(pipe.write); // rpm holds its own copy: the output ends when rpm does
    }
    return { child, output: pipe ? new Socket({ fd: pipe.read, readable: true, writable: false }) : child.stdout! };
  }

  /** The database folder: the one asked for, else the first candidate that holds a database. */
  async dbpath(): Promise<{
    /** The folder to read, inside the root. */
    path: string;
    /** Every folder considered, for the message when none holds a database. */
    tried: string[];
  }> {
    if (this.options.dbpath) return { path: this.options.dbpath, tried: [this.options.dbpath] };
    const own = (await this.run(['--eval', '%{_dbpath}'])).toString('utf8').trim();
    const tried = [...new Set([own, ...KNOWN_DBPATHS])];
    return { path: tried.find((p) => hasDatabase(this.root, p)) ?? own, tried };
  }

  /** Queries the database in `path`; with snapshots, the function that keeps the answer comes with it. */
  private async start(path: string): Promise<{ reader: RpmQueryReader; keep: (() => void) | undefined }> {
    const after = this.options.snapshots?.before(this.root, path, this.rpm);
    const reader = await this.query(path);
    return { reader, keep: after?.(reader) };
  }

  async load(): Promise<PackageDatabase> {
    // Asking rpm for its default folder costs a start of rpm: meanwhile the query already runs on
    // the folder it will most likely choose, and is used only if the choice is indeed that one;
    // a snapshot of that folder, when the database there is unchanged, is used instead of the query.
    const guess = this.options.dbpath ?? KNOWN_DBPATHS.find((p) => hasDatabase(this.root, p));
    const choosing = this.dbpath(); // rpm starts while the snapshot is read
    choosing.catch(() => undefined); // awaited below
    const snapshots = this.options.snapshots;
    // Read on libuv's pool while the identity is taken, and meanwhile the caller goes on (the digester, the tree read ahead).
    const kept = guess === undefined ? undefined : await snapshots?.read(this.root, guess, this.rpm);
    const early = guess === undefined || kept ? undefined : this.start(guess);
    early?.catch(() => undefined); // a wrong guess's failure is not the user's concern
    const { path, tried } = await choosing;
    const where = `${this.root === '/' ? '' : this.root}${path}`;
    const source = `rpm database ${where}`;
    const known: KeptDatabase | undefined = path === guess ? kept : await snapshots?.read(this.root, path, this.rpm);
    if (known) return { source, packageCount: known.packageCount, files: known.files };
    let parsed: RpmQueryReader;
    try {
      ({ reader: parsed, keep: this.keep } = await (path === guess && early ? early : this.start(path)));
    } catch (error) {
      if (!(error instanceof RpmQueryError)) throw error;
      throw new PackageDatabaseError(`the rpm database at ${where}: cannot parse rpm's answer (${error.message}); is ${this.rpm} a real rpm?`);
    }
    const { packageCount, files } = parsed;
    if (packageCount === 0) {
      this.keep = undefined;
      // rpm prints nothing and succeeds on a missing or wrong database: never read that as "all new".
      throw new PackageDatabaseError(
        `the rpm database at ${where} lists no packages (looked in ${tried.join(', ')}); ` +
          'give the right one with --dbpath, or use --package-db none to list everything',
      );
    }
    return { source, packageCount, files };
  }
}
