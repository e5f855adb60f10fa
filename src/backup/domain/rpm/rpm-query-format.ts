import type { OwnedFile, OwnedFileState } from '#backup/domain/ports/package-database.port.js';
import { digestAlgoFromRpm } from './rpm-digest-algo.js';
import { FileFlag, VERIFY_ALL } from '#backup/domain/verify/verify-flags.js';

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

/**
 * Splits query output (latin1) into records of fields, honouring shell single quotes. Runs of
 * plain text are sliced whole, not appended a character at a time (measured: the parse was
 * most of the database load).
 */
export function* records(text: string): Generator<string[]> {
  let fields: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('rpm query output ends inside a quoted name');
      field += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === BACKSLASH) {
      const quoted = text.charCodeAt(i + 1) === QUOTE;
      field += quoted ? "'" : '\\';
      i += quoted ? 2 : 1;
    } else if (c === TAB) {
      fields.push(field);
      field = '';
      i++;
    } else if (c === NEWLINE) {
      fields.push(field);
      yield fields;
      fields = [];
      field = '';
      i++;
    } else {
      const end = plainEnd(text, i);
      field += text.slice(i, end);
      i = end;
    }
  }
  if (field !== '' || fields.length) throw new Error('rpm query output ends in the middle of a record');
}

const DECIMAL = /^-?\d+$/;

function integer(text: string | undefined, what: string): bigint {
  if (text === undefined || !DECIMAL.test(text)) throw new Error(`rpm query: bad ${what} ${JSON.stringify(text)}`);
  // Number then BigInt is several times faster than BigInt(text); exact while the value is safe.
  const n = Number(text);
  return Number.isSafeInteger(n) ? BigInt(n) : BigInt(text);
}

/** A field that always fits a double exactly (modes, flags, device numbers). */
function smallInteger(text: string | undefined, what: string): number {
  if (text === undefined || !DECIMAL.test(text)) throw new Error(`rpm query: bad ${what} ${JSON.stringify(text)}`);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number(BigInt(text));
}

/** rpm's verify flags, read as the unsigned 32-bit value they are, limited to the known checks. */
function verifyFlags(text: string | undefined): number {
  const n = smallInteger(text, 'verify flags');
  // The low bits of a safe integer are exact: & takes them as the unsigned conversion would.
  return Number.isSafeInteger(n) ? n & VERIFY_ALL : Number(BigInt.asUintN(32, integer(text, 'verify flags')) & BigInt(VERIFY_ALL));
}

/** Parses the bulk query's output into packages and owned-file records. */
export function parseRpmQuery(text: string): {
  /** How many packages the output lists. */
  packageCount: number;
  /** One record per file of each package. */
  files: OwnedFile[];
} {
  const files: OwnedFile[] = [];
  let packageCount = 0;
  let pkg = '';
  for (const f of records(text)) {
    if (f[0] === 'P' && f.length === 2) {
      pkg = f[1]!;
      packageCount++;
      continue;
    }
    if (f[0] !== 'F' || f.length !== 14 || !pkg) throw new Error(`rpm query: unexpected record ${JSON.stringify(f.slice(0, 3))}`);
    const [, path, size, mode, digest, algo, mtime, link, user, group, flags, verify, state, rdev] = f as [string, ...string[]];
    const fileFlags = smallInteger(flags, 'file flags');
    files.push({
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
    });
  }
  return { packageCount, files };
}
