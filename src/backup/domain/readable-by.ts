/**
 * Whether a given user could read what is to be backed up: a user's own backup job silently
 * misses a root-owned file in their home. Decided from the classic permission bits as the kernel
 * applies them (owner bits for the owner, else group bits for a member, else the rest; root reads
 * everything). ACLs, capabilities and security modules are not considered (documented limit).
 */
import type { FileStat, FileType } from './ports.js';

/** The user a backup would run as: their id and every group they are in. */
export interface Reader {
  readonly name: string;
  readonly uid: bigint;
  readonly gids: ReadonlySet<bigint>;
}

/** What the backup must be allowed on a path: enter it (a folder on the way), read a file, list a folder. */
export type Need = 'search' | 'read' | 'list';

const R = 4;
const X = 1;

/** Whether `reader` has every permission bit in `want` (R=4, W=2, X=1) on an entry with this owner and mode. */
export function permitted(reader: Reader, stat: Pick<FileStat, 'mode' | 'uid' | 'gid'>, want: number): boolean {
  if (reader.uid === 0n) return true;
  const mode = Number(stat.mode & 0o777n);
  const bits = stat.uid === reader.uid ? mode >> 6 : reader.gids.has(stat.gid) ? mode >> 3 : mode;
  return (bits & want) === want;
}

/** What backing up an entry of this type needs beyond reaching it: nothing for a symlink or special file. */
export function needOf(type: FileType): Exclude<Need, 'search'> | undefined {
  return type === 'directory' ? 'list' : type === 'file' ? 'read' : undefined;
}

/** The permission `reader` lacks to back up this entry itself; undefined when it has all it needs. */
export function missingOnEntry(reader: Reader, stat: FileStat): Need | undefined {
  const need = needOf(stat.type);
  if (need === 'list') return permitted(reader, stat, R | X) ? undefined : 'list';
  if (need === 'read') return permitted(reader, stat, R) ? undefined : 'read';
  return undefined;
}

/** Whether `reader` may pass through a folder on the way to what is inside. */
export function maySearch(reader: Reader, stat: FileStat): boolean {
  return stat.type === 'directory' && permitted(reader, stat, X);
}

/** The user called `who` (a name, or a number) on the system whose passwd and group files are given. */
export function readerFrom(who: string, passwdText: string, groupText: string): Reader | undefined {
  const users = passwdText.split('\n').map((line) => line.split(':'));
  const entry =
    users.find(([name]) => name === who) ?? (/^\d+$/.test(who) ? users.find(([, , uid]) => uid === who) : undefined);
  if (!entry || !/^\d+$/.test(entry[2] ?? '') || !/^\d+$/.test(entry[3] ?? '')) return undefined;
  const name = entry[0]!;
  const gids = new Set([BigInt(entry[3]!)]);
  for (const line of groupText.split('\n')) {
    const [, , gid, members] = line.split(':');
    if (gid && /^\d+$/.test(gid) && members?.split(',').includes(name)) gids.add(BigInt(gid));
  }
  return { name, uid: BigInt(entry[2]!), gids };
}
