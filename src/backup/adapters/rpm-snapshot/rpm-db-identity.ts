/**
 * What decides the answer of rpm's bulk query, as one text: the root, the database folder, the
 * rpm program and its configuration files, this program's build, and the stat identity of the
 * folder and of every file in it. Two equal identities mean the same answer; any change to the database changes it.
 * @module
 */
import { accessSync, constants, readdirSync, readFileSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPM_QUERY_FORMAT } from '#backup/domain/rpm/rpm-query-format.js';
import { sha256Now } from '#backup/adapters/native-walker/sha256-of.js';

/**
 * sqlite's shared-memory index of its write-ahead log: every read rewrites it (measured on the
 * 100k-file fixture with rpm 4.18.0 as root: each `rpm -qa` moved its mtime and ctime, nothing
 * else's but the log's ctime), and it holds no data: it is an index of the log, which sqlite
 * rebuilds from the log when it does not match (sqlite.org/walformat.html, "the wal-index").
 */
const READ_TOUCHED = 'rpmdb.sqlite-shm';
/**
 * sqlite's write-ahead log holds data (transactions not yet copied into rpmdb.sqlite), but every
 * read as root changes its ctime (sqlite fchowns it to the database's owner on each open, measured
 * as above: ctime moved, mtime and size did not). Its ctime is therefore replaced by a digest of
 * its content, which any change to its data changes, whatever its times say.
 */
const LOG = 'rpmdb.sqlite-wal';
/** A log larger than this is not read for its digest: no snapshot then (measured: 0 bytes after rpm's own checkpoint). */
const LOG_LIMIT = 64 * 1024 * 1024;

/** A database's identity, taken at one moment. */
export interface DbIdentity {
  /** The identity as one text: equal texts, same query answer. */
  readonly key: string;
  /** The latest mtime or ctime it holds, in milliseconds: a change within the clock's granularity of it could go unseen. */
  readonly newest: number;
}

/** The program `name` as a spawn would find it on PATH. */
function programPath(name: string): string {
  if (name.includes('/')) return resolve(name);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = resolve(dir || '.', name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there: the next folder
    }
  }
  throw new Error(`${name} not found`);
}

/** The identity fields of a stat; `ctime` false leaves the ctime out. */
function statFields(s: BigIntStats, ctime = true): string[] {
  return [s.dev, s.ino, s.size, s.mtimeNs, ...(ctime ? [s.ctimeNs] : [])].map(String);
}

/**
 * The stat of the files rpm reads its configuration from (its macros decide, say, which backend
 * reads the database folder), an absent one as its bare name: rpm's own folder (RPM_CONFIGDIR,
 * else /usr/lib/rpm), /etc/rpm and the user's files.
 */
function configFields(): string[][] {
  const configdir = process.env.RPM_CONFIGDIR || '/usr/lib/rpm';
  const home = process.env.HOME ?? '';
  const fields: string[][] = [];
  const one = (path: string) => {
    try {
      fields.push([path, ...statFields(statSync(path, { bigint: true }))]);
    } catch {
      fields.push([path]);
    }
  };
  const folder = (dir: string) => {
    one(dir);
    try {
      for (const name of readdirSync(dir).sort()) one(join(dir, name));
    } catch {
      // absent: its bare name says so
    }
  };
  for (const file of [`${configdir}/macros`, `${configdir}/rpmrc`, '/etc/rpmrc', `${home}/.rpmmacros`, `${home}/.rpmrc`]) one(file);
  folder(`${configdir}/macros.d`);
  folder('/etc/rpm');
  return fields;
}

/** The latest of the given stats' times, in milliseconds. */
function latest(times: bigint[]): number {
  return Number(times.reduce((a, b) => (a > b ? a : b), 0n) / 1_000_000n);
}

/**
 * The identity of the rpm database `dbpath` inside `root` as `rpm` reads it; undefined when any
 * of it cannot be read (then no snapshot is used or kept).
 */
export function rpmDbIdentity(root: string, dbpath: string, rpm: string): DbIdentity | undefined {
  try {
    const dir = `${root.replace(/\/+$/, '')}${dbpath}`;
    const program = realpathSync(programPath(rpm));
    const self = statSync(fileURLToPath(import.meta.url), { bigint: true });
    const folder = statSync(dir, { bigint: true });
    const times = [folder.mtimeNs, folder.ctimeNs];
    const files: string[][] = [];
    const names = readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
    for (const raw of names) {
      const name = raw.toString('latin1');
      if (name === READ_TOUCHED) continue;
      const s = statSync(join(dir, name), { bigint: true });
      if (name !== LOG) {
        files.push([name, ...statFields(s)]);
        times.push(s.mtimeNs, s.ctimeNs);
        continue;
      }
      if (s.size > LOG_LIMIT) return undefined;
      files.push([name, ...statFields(s, false), sha256Now(readFileSync(join(dir, name))).toString('hex')]);
      times.push(s.mtimeNs);
    }
    const parts = {
      ...{ query: RPM_QUERY_FORMAT, build: statFields(self), root: realpathSync(root), dbpath },
      ...{ rpm: [program, ...statFields(statSync(program, { bigint: true }))], config: configFields(), folder: statFields(folder), files },
    };
    return { key: JSON.stringify(parts), newest: latest(times) };
  } catch {
    return undefined;
  }
}
