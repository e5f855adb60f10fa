import { readFileSync } from 'node:fs';
import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';

/** name → id from passwd/group text (`name:x:id:...` per line). */
function parse(text: string): Map<string, bigint> {
  const ids = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id && /^\d+$/.test(id) && !ids.has(name)) ids.set(name, BigInt(id));
  }
  return ids;
}

function invert(ids: Map<string, bigint>): Map<bigint, string> {
  const names = new Map<bigint, string>();
  for (const [name, id] of ids) if (!names.has(id)) names.set(id, name);
  return names;
}

/** A file of the scanned system as text, or `''` when it cannot be read: a missing /etc/group is no error. */
export function readOrEmpty(path: string, encoding: BufferEncoding): string {
  try {
    return readFileSync(path, encoding);
  } catch {
    return '';
  }
}

/**
 * Users and groups of the scanned system from its own /etc/passwd and /etc/group (rpm --root
 * chroots, so it sees those too). `root` is always 0, as rpm assumes even without the files.
 */
export function accountsFromFiles(passwdText: string, groupText: string): AccountsPort {
  const users = parse(passwdText);
  const groups = parse(groupText);
  users.set('root', 0n);
  groups.set('root', 0n);
  const userNames = invert(users);
  const groupNames = invert(groups);
  userNames.set(0n, 'root');
  groupNames.set(0n, 'root');
  return {
    userName: (uid) => userNames.get(uid),
    groupName: (gid) => groupNames.get(gid),
    uidOf: (name) => users.get(name),
    gidOf: (name) => groups.get(name),
  };
}

/** The accounts of the system rooted at `root` (a host directory). */
export function systemAccounts(root = '/'): AccountsPort {
  const base = root.replace(/\/+$/, '');
  return accountsFromFiles(readOrEmpty(`${base}/etc/passwd`, 'latin1'), readOrEmpty(`${base}/etc/group`, 'latin1'));
}
