import type { OwnedFile, OwnedFileState } from '#backup/domain/ports/package-database.port.js';
import { digestAlgoFromRpm } from './rpm-digest-algo.js';
import { FileFlag, VERIFY_ALL } from '#backup/domain/verify/verify-flags.js';
import { OwnedFileTable } from '#backup/domain/owned-files/owned-file-table.js';

/**
 * One bulk query for every package and every file it owns. Text that may hold any byte (names,
 * link targets) is `shescape`d — single-quoted, `'` written as `'\''` — so tabs and newlines
 * inside names cannot break a record; numbers are plain. A `P` line starts each package.
 */
export const RPM_QUERY_FORMAT =
  'P\\t%{NEVRA:shescape}\\n' +
  '[F\\t%{FILENAMES:shescape}\\t%{LONGFILESIZES}\\t%{FILEMODES}\\t%{FILEDIGESTS:shescape}\\t%{=FILEDIGESTALGO}' +
  '\\t%{FILEMTIMES}\\t%{FILELINKTOS:shescape}\\t%{FILEUSERNAME:shescape}\\t%{FILEGROUPNAME:shescape}' +
  '\\t%{FILEFLAGS}\\t%{FILEVERIFYFLAGS}\\t%{FILESTATES}\\t%{FILERDEVS}\\n]';

const states: Record<string, OwnedFileState> = {
  '0': 'normal',
  '1': 'replaced',
  '2': 'not-installed',
  '3': 'net-shared',
  '4': 'wrong-color',
};

const TAB = 9;
const NEWLINE = 10;
const QUOTE = 39;
const BACKSLASH = 92;

/** Where the run of plain characters starting at `from` ends (at a tab, newline, quote or backslash). */
function plainEnd(text: string, from: number): number {
  let j = from;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === TAB || c === NEWLINE || c === QUOTE || c === BACKSLASH) break;
  }
  return j;
}

/** rpm's answer to the bulk query is not in the form asked for; the message says where. */
export class RpmQueryError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'RpmQueryError';
}

/** Where a scan of complete records stopped: the start of the unfinished one, and whether it stopped inside quotes. */
interface Stop {
  /** Offset of the first record not complete in the text (its length when all were). */
  readonly rest: number;
  /** The text ends inside a quoted name. */
  readonly quoted: boolean;
}

/**
 * Hands each complete record of `text` (latin1) to `onRecord`, honouring shell single quotes, and
 * says where the unfinished rest begins, so output read in chunks is parsed as it arrives. Runs of
 * plain text are sliced whole, not appended a character at a time (measured: the parse was most of
 * the database load).
 */
function scanRecords(text: string, onRecord: (fields: string[]) => void): Stop {
  let fields: string[] = [];
  let field = '';
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { rest: start, quoted: true };
      field += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === BACKSLASH) {
      if (i + 1 === text.length) break;
      const quoted = text.charCodeAt(i + 1) === QUOTE;
      field += quoted ? "'" : '\\';
      i += quoted ? 2 : 1;
    } else if (c === TAB) {
      fields.push(field);
      field = '';
      i++;
    } else if (c === NEWLINE) {
      fields.push(field);
      onRecord(fields);
      fields = [];
      field = '';
      start = ++i;
    } else {
      const end = plainEnd(text, i);
      field += text.slice(i, end);
      i = end;
    }
  }
  return { rest: start, quoted: false };
}

function refuseRest(stop: Stop, text: string): void {
  if (stop.quoted) throw new RpmQueryError('rpm query output ends inside a quoted name');
  if (stop.rest < text.length) throw new RpmQueryError('rpm query output ends in the middle of a record');
}

/** Splits complete query output (latin1) into records of fields; throws when it ends mid-record. */
export function* records(text: string): Generator<string[]> {
  const all: string[][] = [];
  const stop = scanRecords(text, (fields) => all.push(fields));
  yield* all;
  refuseRest(stop, text);
}

const DECIMAL = /^-?\d+$/;

function integer(text: string | undefined, what: string): bigint {
  if (text === undefined || !DECIMAL.test(text)) throw new RpmQueryError(`rpm query: bad ${what} ${JSON.stringify(text)}`);
  // Number then BigInt is several times faster than BigInt(text); exact while the value is safe.
  const n = Number(text);
  return Number.isSafeInteger(n) ? BigInt(n) : BigInt(text);
}

/** A field that always fits a double exactly (modes, flags, device numbers). */
function smallInteger(text: string | undefined, what: string): number {
  if (text === undefined || !DECIMAL.test(text)) throw new RpmQueryError(`rpm query: bad ${what} ${JSON.stringify(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number(BigInt(text));
}

/** rpm's verify flags, read as the unsigned 32-bit value they are, limited to the known checks. */
function verifyFlags(text: string | undefined): number {
  const n = smallInteger(text, 'verify flags');
  // The low bits of a safe integer are exact: & takes them as the unsigned conversion would.
  return Number.isSafeInteger(n) ? n & VERIFY_ALL : Number(BigInt.asUintN(32, integer(text, 'verify flags')) & BigInt(VERIFY_ALL));
}

/**
 * Reads the bulk query's output as it arrives (`feed` each chunk as latin1, then `end`), into
 * packages and a compact table of owned-file records: the whole output is never held at once.
 */
export class RpmQueryReader {
  /** How many packages the output lists. */
  packageCount = 0;
  /** One record per file of each package. */
  readonly files = new OwnedFileTable();
  private pkg = '';
  private pending = '';
  private readonly onRecord = (f: string[]): void => this.record(f);

  /** Parses every record the text so far completes; keeps the unfinished rest for the next chunk. */
  feed(chunk: string): void {
    const text = this.pending + chunk;
    const stop = scanRecords(text, this.onRecord);
    this.pending = text.slice(stop.rest);
  }

  /** The output is complete: throws when it ends inside a record. */
  end(): void {
    refuseRest(scanRecords(this.pending, this.onRecord), this.pending);
    this.files.trim();
  }

  private record(f: string[]): void {
    if (f[0] === 'P' && f.length === 2) {
      this.pkg = f[1]!;
      this.packageCount++;
      return;
    }
    if (f[0] !== 'F' || f.length !== 14 || !this.pkg) throw new RpmQueryError(`rpm query: unexpected record ${JSON.stringify(f.slice(0, 3))}`);
    this.files.add(ownedFile(f, this.pkg));
  }
}

function ownedFile(f: string[], pkg: string): OwnedFile {
  const [, path, size, mode, digest, algo, mtime, link, user, group, flags, verify, state, rdev] = f as [string, ...string[]];
  const fileFlags = smallInteger(flags, 'file flags');
  return {
    path: path!,
    package: pkg,
    size: integer(size, 'size'),
    mode: smallInteger(mode, 'mode') & 0xffff,
    digest: digest!.toLowerCase(),
    digestAlgo: digestAlgoFromRpm(/^\d+$/.test(algo!) ? Number(algo) : undefined),
    mtime: integer(mtime, 'mtime'),
    linkTarget: link!,
    user: user!,
    group: group!,
    rdev: smallInteger(rdev, 'rdev'),
    flags: {
      config: (fileFlags & FileFlag.CONFIG) !== 0,
      doc: (fileFlags & FileFlag.DOC) !== 0,
      ghost: (fileFlags & FileFlag.GHOST) !== 0,
      missingOk: (fileFlags & FileFlag.MISSINGOK) !== 0,
    },
    verifyFlags: verifyFlags(verify),
    state: states[state!] ?? (state === '-1' || state === '255' ? 'missing' : 'normal'),
  };
}

/** Parses the bulk query's complete output into packages and owned-file records. */
export function parseRpmQuery(text: string): {
  /** How many packages the output lists. */
  packageCount: number;
  /** One record per file of each package. */
  files: OwnedFileTable;
} {
  const reader = new RpmQueryReader();
  reader.feed(text);
  reader.end();
  return { packageCount: reader.packageCount, files: reader.files };
}
