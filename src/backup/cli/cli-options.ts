/** The command line of `what-to-backup`: its help text, and the options it parses into. */
import { parseArgs } from 'node:util';
import { policyArgs, policyOptions, policyUsage, type PolicyOptions } from './cli-policy-options.js';
import type { PackageDbChoice } from '#backup/adapters/package-db/package-db-choice.js';
import { toolNames, type ToolName } from '#backup/report/for-tools/tool-name.js';
import { completionShell, type CompletionShell } from '#shared/completions/completion-shell.js';
import { unescapePath } from '#backup/domain/paths/path-escape.js';
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';

/** The text `what-to-backup --help` prints: every option, and the meaning of the exit status. */
export const usage = `Usage: what-to-backup [OPTIONS] [ROOT...]

Lists what must be backed up from a Linux system: files no package owns, and package files
that changed since they were installed (compared as rpm -V does). Folders to save whole are
listed once. ROOT (default /) is where to start, as a path of the scanned system. A ROOT
whose name is not UTF-8 cannot reach the program exactly (Node decodes its command line as
UTF-8): give it with --escaped, written as the text list prints it (\\xHH per byte).

stdout: the list, one path per line; folders saved whole end in '/'. Names holding a newline,
  tab, backslash, control byte or bytes that are not UTF-8 are escaped as \\n \\t \\\\ \\xHH
  (use -0 or --json for the exact bytes).
stderr: a size tree of what to save, owned files that are missing, and problems met;
  on a terminal also a one-line progress display.

Options:
  -0, --null            end each listed path with NUL instead of a newline, unescaped
      --json            print the whole result as JSON (class and reason of reported entries)
      --html FILE       also write the result as one self-contained HTML page to FILE: a
                        treemap of where the backup space goes, the largest folders to save,
                        and the entries with errors; it opens offline, from a file
      --for TOOL        print the list the way TOOL reads it: restic (with --excludes-to),
                        tar (with --folders-to), rsync (filter rules) or borg (patterns);
                        docs/what-to-backup.md gives each one's command
      --excludes-to FILE  with --for restic: write restic's --exclude-file to FILE
      --folders-to FILE  with --for tar: write the folders to save whole to FILE
      --exclude-from FILE  leave out paths matching FILE's patterns (gitignore syntax,
                        matched against paths of the scanned system: /var/cache/, *.tmp)
      --root DIR        scan the system installed under DIR (a mounted image), with its
                        own rpm database; printed paths are that system's
      --dbpath PATH     the rpm database inside the root (default: found automatically in
                        rpm's own default, /usr/lib/sysimage/rpm, /var/lib/rpm)
      --one-file-system stay on each ROOT's file system; mount points are listed as not
                        scanned (default)
      --cross-mounts    walk into other mounted file systems too
      --escaped         ROOT arguments are escaped as the text list prints paths: \\xHH for
                        a byte, \\\\ for a backslash, \\n \\t \\r
      --admindir DIR    the dpkg database directory on this host (default: ROOT/var/lib/dpkg)
      --package-db DB   auto (default: every rpm and dpkg database the root holds), rpm,
                        dpkg, or none: without a database everything is new
      --verify MODE     content (default) or none: with dpkg, load ownership only and
                        check nothing, for a quick look
      --quick           compare metadata only (size, mode, owner, link target), read no
                        content: a changed file of the same size is not noticed
      --no-cache        neither read nor write the caches in $XDG_CACHE_HOME/what-to-backup
                        (default ~/.cache): the digest cache, keyed by device, inode, size,
                        mtime and ctime, so a rescan hashes only what changed, and rpm's
                        answer, used instead of a query while the rpm database is unchanged;
                        the scan leaves that folder out, and writing it is its only write
${policyUsage}  -h, --help            show this help and exit
  -V, --version         print the version and exit
      --completions SHELL  print the completion script for SHELL (bash, zsh or fish) and
                        exit (docs/install-files.md says where to put it)

Exit status: 0 when the scan is complete; 1 when complete but some entries could not be
read (they are reported); 2 when the scan could not run or did not finish (bad options, no
rpm, an empty or missing package database, a failing plugin, an internal error: one line on
stderr, with the stack trace when WHAT_TO_BACKUP_DEBUG=1).
`;

/** What the command line asks for, with every default filled in ({@link parseCliOptions}). */
export interface CliOptions {
  /** `-h`/`--help`: print {@link usage} and stop. */
  readonly help: boolean;
  /** `-V`/`--version`: print the version and stop. */
  readonly version: boolean;
  /** `--completions SHELL`: print that shell's completion script and stop. */
  readonly completions: CompletionShell | undefined;
  /** `-0`/`--null`: end each listed path with NUL, unescaped, instead of a newline. */
  readonly nul: boolean;
  /** `--json`: print the whole result as one JSON document instead of the list. */
  readonly json: boolean;
  /** `--html FILE`: also write the result as a self-contained HTML page to this file. */
  readonly html: string | undefined;
  /** `--for TOOL`: print the list in that backup tool's own form. */
  readonly forTool: ToolName | undefined;
  /** `--excludes-to FILE` (restic) or `--folders-to FILE` (tar): the tool's second file. */
  readonly secondFile: string | undefined;
  /** `--exclude-from FILE`: a file of gitignore patterns to leave out. */
  readonly excludeFrom: string | undefined;
  /** `--root DIR`: where the scanned system is mounted (default `/`). */
  readonly root: string;
  /** `--dbpath PATH`: the rpm database inside the root; found automatically when absent. */
  readonly dbpath: string | undefined;
  /** Stay on each ROOT's file system (`--one-file-system`, the default), unless `--cross-mounts`. */
  readonly oneFileSystem: boolean;
  /** `--package-db`: which package databases to read (default `auto`: every one the root holds). */
  readonly packageDb: PackageDbChoice;
  /** `--admindir DIR`: the dpkg database on this host; ROOT/var/lib/dpkg when absent. */
  readonly admindir: string | undefined;
  /** `--verify`: `content` compares package files (the default), `none` loads ownership only. */
  readonly verify: 'content' | 'none';
  /** `--quick`: compare metadata only, read no content. */
  readonly quick: boolean;
  /** Read and write the digest cache; false with `--no-cache`. */
  readonly cache: boolean;
  /** Where to start, as absolute byte-string paths of the scanned system (default `['/']`). */
  readonly roots: string[];
  /** Rules, --readable-by and --already-covered (cli-policy-options.ts). */
  readonly policy: PolicyOptions;
}

/** A mistake in the command line: the message says which. */
export class UsageError extends Error {
  /** `UsageError`, so the error names itself when printed. */
  override readonly name = 'UsageError';
}

/** The options `parseArgs` accepts: the scan's own, then the policy's (cli-policy-options.ts). */
const cliArgs = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  completions: { type: 'string' },
  null: { type: 'boolean', short: '0' },
  json: { type: 'boolean' },
  html: { type: 'string' },
  for: { type: 'string' },
  'excludes-to': { type: 'string' },
  'folders-to': { type: 'string' },
  'exclude-from': { type: 'string' },
  root: { type: 'string' },
  dbpath: { type: 'string' },
  'one-file-system': { type: 'boolean' },
  'cross-mounts': { type: 'boolean' },
  escaped: { type: 'boolean' },
  'package-db': { type: 'string' },
  admindir: { type: 'string' },
  verify: { type: 'string' },
  quick: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  ...policyArgs,
} as const;

/** Parses the command line; throws UsageError on anything it does not understand. */
export function parseCliOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: cliArgs,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const completions = v.completions === undefined ? undefined : completionShell(v.completions);
  if (typeof completions === 'object') throw new UsageError(completions.error);
  if (v.null && v.json) throw new UsageError('choose one of -0/--null and --json');
  if (v['one-file-system'] && v['cross-mounts']) throw new UsageError('choose one of --one-file-system and --cross-mounts');
  const packageDb = v['package-db'] ?? 'auto';
  if (!['auto', 'rpm', 'dpkg', 'none'].includes(packageDb)) {
    throw new UsageError(`--package-db must be auto, rpm, dpkg or none, not ${JSON.stringify(packageDb)}`);
  }
  const verify = v.verify ?? 'content';
  if (verify !== 'content' && verify !== 'none') throw new UsageError(`--verify must be content or none, not ${JSON.stringify(verify)}`);
  if (v.html === '') throw new UsageError('--html needs a file name');
  if (v.dbpath !== undefined && !v.dbpath.startsWith('/')) throw new UsageError('--dbpath must be an absolute path inside the root');
  const forTool = toolOption(v.for, v['excludes-to'], v['folders-to'], v.json === true);
  const roots = (parsed.positionals.length ? parsed.positionals : ['/']).map((r) => rootBytes(r, v.escaped === true));
  return {
    help: v.help === true,
    version: v.version === true,
    completions,
    nul: v.null === true,
    json: v.json === true,
    html: v.html,
    forTool,
    secondFile: v['excludes-to'] ?? v['folders-to'],
    excludeFrom: v['exclude-from'],
    root: v.root ?? '/',
    dbpath: v.dbpath,
    oneFileSystem: v['cross-mounts'] !== true,
    packageDb: packageDb as PackageDbChoice,
    admindir: v.admindir,
    verify,
    quick: v.quick === true,
    cache: v['no-cache'] !== true,
    roots,
    policy: policyOptions(v),
  };
}

/** Checks `--for` and the second file its tool needs (restic: --excludes-to, tar: --folders-to). */
function toolOption(tool: string | undefined, excludesTo: string | undefined, foldersTo: string | undefined, json: boolean): ToolName | undefined {
  if (tool === undefined) {
    if (excludesTo !== undefined || foldersTo !== undefined) throw new UsageError('--excludes-to and --folders-to go with --for');
    return undefined;
  }
  if (!(toolNames as readonly string[]).includes(tool)) throw new UsageError(`--for must be ${toolNames.join(', ')}, not ${JSON.stringify(tool)}`);
  if (json) throw new UsageError('choose one of --for and --json');
  const needs = tool === 'restic' ? ['--excludes-to', excludesTo, foldersTo] : tool === 'tar' ? ['--folders-to', foldersTo, excludesTo] : undefined;
  if (needs === undefined && (excludesTo !== undefined || foldersTo !== undefined)) throw new UsageError(`--for ${tool} takes neither --excludes-to nor --folders-to`);
  if (needs !== undefined && (needs[1] === undefined || needs[1] === '')) throw new UsageError(`--for ${tool} needs ${needs[0]} FILE`);
  if (needs !== undefined && needs[2] !== undefined) throw new UsageError(`--for ${tool} takes ${needs[0]}, not the other`);
  return tool as ToolName;
}

/**
 * A ROOT argument as the byte string the scan walks. Node hands argv over decoded as UTF-8, with
 * U+FFFD for bytes that are not: such a ROOT is refused (scanning some other path would be a
 * silent wrong answer), and `--escaped` lets any bytes through.
 */
function rootBytes(argument: string, escaped: boolean): string {
  if (argument.includes('\ufffd')) {
    throw new UsageError(`ROOT ${JSON.stringify(argument)} is not valid UTF-8 (or holds U+FFFD); give it with --escaped, as the text list prints it (\\xHH per byte)`);
  }
  let bytes: string;
  try {
    bytes = escaped ? unescapePath(argument) : encodeUtf8(argument);
  } catch {
    throw new UsageError(`ROOT ${JSON.stringify(argument)} has a malformed escape (--escaped: \\xHH, \\\\, \\n, \\t, \\r)`);
  }
  if (!bytes.startsWith('/')) throw new UsageError(`ROOT must be an absolute path of the scanned system, not ${JSON.stringify(argument)}`);
  return bytes;
}
