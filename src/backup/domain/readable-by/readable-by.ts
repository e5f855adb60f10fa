/**
 * `--readable-by USER`: which entries to back up USER could not read, so that USER's own backup
 * job would silently miss them (a root-owned file in their home, a private directory on the way).
 *
 * Classic Unix permissions only: the owner bits when USER owns the entry, else the group bits
 * when one of USER's groups does, else the other bits; uid 0 reads everything. ACLs and
 * capabilities are not looked at. To read an entry USER must be able to enter (x) every directory
 * above it; a file needs r, a directory r and x (to list it); a symlink or special file needs
 * nothing more (its metadata is read through the directory).
 *
 * An entry hidden by a directory USER cannot enter is not listed one by one: the directory is,
 * once, with how many entries to back up it hides. Memory follows the problems found and the
 * depth of the walk.
 */
import { parentPath } from '#backup/domain/paths/byte-path.js';
import type { EntryKind } from '#backup/domain/entry/entry-class.js';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import type { Account } from './readable-by-account.js';
import { isSaveClass } from '#backup/domain/summary/totals.js';
import { byPath } from '#backup/domain/paths/byte-order.js';

/** What the permission check needs of an entry's lstat. */
export interface Ownership {
  /** Owning user id. */
  readonly uid: bigint;
  /** Owning group id. */
  readonly gid: bigint;
  /** st_mode; only the permission bits are used. */
  readonly mode: bigint;
}

const READ = 4n;
const SEARCH = 1n;

/** Whether `account` has every permission bit of `want` (4 read, 2 write, 1 execute/search). */
export function permits(account: Account, ownership: Ownership, want: bigint): boolean {
  if (account.uid === 0n) return true;
  const shift = ownership.uid === account.uid ? 6n : account.gids.includes(ownership.gid) ? 3n : 0n;
  return ((ownership.mode >> shift) & want) === want;
}

/** One thing USER cannot read. */
export interface ReadableByProblem {
  /** Byte-string path. */
  readonly path: string;
  /** `cannot read` (an entry to back up) or `cannot enter` (a directory above some). */
  readonly problem: 'cannot read' | 'cannot enter';
  /** e.g. `uid 0 gid 0 mode 0700`, or `not found` when its metadata could not be read. */
  readonly reason: string;
  /** How many entries to back up lie below it, out of USER's reach. */
  readonly hidden: number;
}

/** Everything USER could not read, for the report and the JSON. */
export interface ReadableByReport {
  /** The user checked (`--readable-by`). */
  readonly user: string;
  /** Sorted by path (byte order). */
  readonly problems: readonly ReadableByProblem[];
}

interface Ancestor {
  readonly path: string;
  /** Why USER cannot enter it, or null when USER can; computed when first needed. */
  blocked?: string | null;
}

/** Feed it the scanner's entries (depth-first, as they come); ask for the report at the end. */
export class ReadableByCheck {
  private chain: Ancestor[] = [];
  private readonly problems = new Map<string, { problem: ReadableByProblem['problem']; reason: string; hidden: number }>();

  constructor(
    private readonly account: Account,
    /** lstat of a path of the scanned system; undefined when it cannot be read. */
    private readonly ownershipOf: (path: string) => Ownership | undefined,
  ) {}

  /** Checks one entry; only entries to back up (new, modified) are looked at. */
  check(entry: Pick<ScannedEntry, 'path' | 'kind' | 'class'>): void {
    if (!isSaveClass(entry.class)) return;
    const blocker = this.firstBlockedAncestor(entry.path);
    if (blocker !== undefined) {
      const found = this.problems.get(blocker.path);
      if (found === undefined) this.problems.set(blocker.path, { problem: 'cannot enter', reason: blocker.blocked!, hidden: 1 });
      else found.hidden += 1;
      return;
    }
    const need = needOf(entry.kind);
    if (need === 0n) return;
    const ownership = this.ownershipOf(entry.path);
    if (ownership === undefined) this.problems.set(entry.path, { problem: 'cannot read', reason: 'not found', hidden: 0 });
    else if (!permits(this.account, ownership, need)) this.problems.set(entry.path, { problem: 'cannot read', reason: describe(ownership), hidden: 0 });
  }

  /** The problems found so far, sorted by path. */
  report(): ReadableByReport {
    const problems = [...this.problems].map(([path, p]) => ({ path, ...p })).sort(byPath);
    return { user: this.account.name, problems };
  }

  /** The highest directory above `path` that USER cannot enter. */
  private firstBlockedAncestor(path: string): Ancestor | undefined {
    const ancestors: string[] = [];
    for (let at = parentPath(path); at !== undefined; at = parentPath(at)) ancestors.unshift(at);
    let keep = 0;
    while (keep < this.chain.length && keep < ancestors.length && this.chain[keep]!.path === ancestors[keep]) keep += 1;
    this.chain = [...this.chain.slice(0, keep), ...ancestors.slice(keep).map((p) => ({ path: p }))];
    for (const ancestor of this.chain) {
      if (ancestor.blocked === undefined) {
        const ownership = this.ownershipOf(ancestor.path);
        ancestor.blocked = ownership === undefined ? 'not found' : permits(this.account, ownership, SEARCH) ? null : describe(ownership);
      }
      if (ancestor.blocked !== null) return ancestor;
    }
    return undefined;
  }
}

function needOf(kind: EntryKind): bigint {
  return kind === 'file' ? READ : kind === 'directory' ? READ | SEARCH : 0n;
}

function describe(ownership: Ownership): string {
  return `uid ${ownership.uid} gid ${ownership.gid} mode ${(ownership.mode & 0o7777n).toString(8).padStart(4, '0')}`;
}
