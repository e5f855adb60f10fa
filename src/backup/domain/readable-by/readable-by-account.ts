/**
 * Who `--readable-by USER` is: uid and groups (primary and supplementary), read from the passwd
 * and group files of the scanned system. Parsing is pure; an adapter reads the files.
 */

/** A user as permission checks see it. */
export interface Account {
  /** The user name, as given to `--readable-by`. */
  readonly name: string;
  /** The user id; 0 may read everything. */
  readonly uid: bigint;
  /** Primary group first, then supplementary groups. */
  readonly gids: readonly bigint[];
}

/** USER is in neither file. */
export class UnknownUserError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'UnknownUserError';
}

function records(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

const isId = (text: string | undefined): text is string => text !== undefined && /^\d+$/.test(text);

/**
 * The account of `user` (a name, or a numeric uid) from passwd and group file contents. A number
 * no passwd line has is still a user (files may belong to a uid with no name): it has no groups.
 */
export function accountFromFiles(user: string, passwdText: string, groupText: string): Account {
  const passwd = records(passwdText).filter((fields) => isId(fields[2]) && isId(fields[3]));
  const found = passwd.find((fields) => fields[0] === user) ?? (isId(user) ? passwd.find((fields) => fields[2] === user) : undefined);
  if (found === undefined) {
    if (isId(user)) return { name: user, uid: BigInt(user), gids: [] };
    throw new UnknownUserError(`no user ${JSON.stringify(user)} in the passwd file`);
  }
  const name = found[0]!;
  const primary = BigInt(found[3]!);
  const supplementary = records(groupText)
    .filter((fields) => isId(fields[2]) && (fields[3] ?? '').split(',').includes(name))
    .map((fields) => BigInt(fields[2]!))
    .filter((gid) => gid !== primary);
  return { name, uid: BigInt(found[2]!), gids: [primary, ...new Set(supplementary)] };
}
