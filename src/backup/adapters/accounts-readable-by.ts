/**
 * The account `--readable-by USER` checks against, from the passwd and group files of the scanned
 * system (`ROOT/etc/passwd`, `ROOT/etc/group`; the running system's own when ROOT is `/`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountFromFiles, type Account } from '../domain/readable-by-account.js';

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** USER's uid and groups on the system under `root`; throws UnknownUserError when unknown. */
export function readableByAccount(user: string, root = '/'): Account {
  return accountFromFiles(user, readOrEmpty(join(root, 'etc/passwd')), readOrEmpty(join(root, 'etc/group')));
}
