/**
 * The account `--readable-by USER` checks against, from the passwd and group files of the scanned
 * system (`ROOT/etc/passwd`, `ROOT/etc/group`; the running system's own when ROOT is `/`).
 */
import { join } from 'node:path';
import { accountFromFiles, type Account } from '#backup/domain/readable-by/readable-by-account.js';
import { readOrEmpty } from './accounts-file.js';

/** USER's uid and groups on the system under `root`; throws UnknownUserError when unknown. */
export function readableByAccount(user: string, root = '/'): Account {
  return accountFromFiles(user, readOrEmpty(join(root, 'etc/passwd'), 'utf8'), readOrEmpty(join(root, 'etc/group'), 'utf8'));
}
