import { describe, expect, it } from 'vitest';
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import { accountFromFiles, UnknownUserError } from '#backup/domain/readable-by/readable-by-account.js';
import { readableByJson, readableByText } from '#backup/report/readable-by/readable-by-output.js';
import { permits, ReadableByCheck, type Ownership } from '#backup/domain/readable-by/readable-by.js';

const passwd = 'root:x:0:0:root:/root:/bin/bash\n# comment\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:100::/home/bob:/bin/sh\nbroken:x:abc:1\n';
const group = 'root:x:0:\nusers:x:100:alice\nalice:x:1000:\nbackup:x:34:alice,bob\nwheel:x:10:bob\n';

describe('the account of --readable-by', () => {
  it('has the uid, the primary group first and every supplementary group', () => {
    expect(accountFromFiles('alice', passwd, group)).toEqual({ name: 'alice', uid: 1000n, gids: [1000n, 100n, 34n] });
    expect(accountFromFiles('bob', passwd, group)).toEqual({ name: 'bob', uid: 1001n, gids: [100n, 34n, 10n] });
  });

  it('accepts a uid, known or not, and refuses an unknown name', () => {
    expect(accountFromFiles('1000', passwd, group).name).toBe('alice');
    expect(accountFromFiles('4242', passwd, group)).toEqual({ name: '4242', uid: 4242n, gids: [] });
    expect(() => accountFromFiles('mallory', passwd, group)).toThrow(UnknownUserError);
    expect(() => accountFromFiles('broken', passwd, group)).toThrow('no user "broken"');
  });
});

describe('permission bits', () => {
  const alice = { name: 'alice', uid: 1000n, gids: [1000n, 100n] };
  const own = (uid: bigint, gid: bigint, mode: number): Ownership => ({ uid, gid, mode: BigInt(mode) | 0o100000n });

  it('use the owner bits for the owner, even when others may read', () => {
    expect(permits(alice, own(1000n, 0n, 0o600), 4n)).toBe(true);
    expect(permits(alice, own(1000n, 0n, 0o044), 4n)).toBe(false);
  });

  it('use the group bits for any of the groups, else the other bits', () => {
    expect(permits(alice, own(0n, 100n, 0o640), 4n)).toBe(true);
    expect(permits(alice, own(0n, 100n, 0o604), 4n)).toBe(false);
    expect(permits(alice, own(0n, 5n, 0o604), 4n)).toBe(true);
    expect(permits(alice, own(0n, 5n, 0o640), 4n)).toBe(false);
    expect(permits(alice, own(0n, 5n, 0o755), 5n)).toBe(true);
    expect(permits(alice, own(0n, 5n, 0o751), 5n)).toBe(false);
  });

  it('let root read everything', () => {
    expect(permits({ name: 'root', uid: 0n, gids: [0n] }, own(1000n, 1000n, 0o000), 5n)).toBe(true);
  });
});

describe('the readable-by check', () => {
  const alice = accountFromFiles('alice', passwd, group);
  const modes: Record<string, Ownership> = {
    '/': { uid: 0n, gid: 0n, mode: 0o40755n },
    '/home': { uid: 0n, gid: 0n, mode: 0o40755n },
    '/home/alice': { uid: 1000n, gid: 1000n, mode: 0o40700n },
    '/home/alice/notes': { uid: 1000n, gid: 1000n, mode: 0o100600n },
    '/home/alice/root-made': { uid: 0n, gid: 0n, mode: 0o100600n },
    '/home/alice/shared': { uid: 0n, gid: 100n, mode: 0o100640n },
    '/home/alice/locked': { uid: 0n, gid: 0n, mode: 0o40700n },
    '/home/alice/locked/a': { uid: 0n, gid: 0n, mode: 0o100644n },
    '/home/alice/locked/b': { uid: 0n, gid: 0n, mode: 0o100644n },
    '/home/alice/listless': { uid: 0n, gid: 0n, mode: 0o40711n },
    '/home/alice/link': { uid: 0n, gid: 0n, mode: 0o120777n },
  };
  const looked: string[] = [];
  const check = () =>
    new ReadableByCheck(alice, (path) => {
      looked.push(path);
      return modes[path];
    });
  const feed = (c: ReadableByCheck, entries: [string, EntryKind, EntryClass][]) => entries.forEach(([path, kind, cls]) => c.check({ path, kind, class: cls }));

  it('flags files and directories to back up that the user cannot read, and the directory hiding others', () => {
    const c = check();
    feed(c, [
      ['/home/alice', 'directory', 'new'],
      ['/home/alice/link', 'symlink', 'new'],
      ['/home/alice/listless', 'directory', 'new'],
      ['/home/alice/locked', 'directory', 'unmodified'],
      ['/home/alice/locked/a', 'file', 'new'],
      ['/home/alice/locked/b', 'file', 'modified'],
      ['/home/alice/notes', 'file', 'new'],
      ['/home/alice/root-made', 'file', 'new'],
      ['/home/alice/shared', 'file', 'new'],
      ['/home/alice/gone', 'file', 'new'],
      ['/home/alice/intact', 'file', 'unmodified'],
    ]);
    const report = c.report();
    expect(report).toEqual({
      user: 'alice',
      problems: [
        { path: '/home/alice/gone', problem: 'cannot read', reason: 'not found', hidden: 0 },
        { path: '/home/alice/listless', problem: 'cannot read', reason: 'uid 0 gid 0 mode 0711', hidden: 0 },
        { path: '/home/alice/locked', problem: 'cannot enter', reason: 'uid 0 gid 0 mode 0700', hidden: 2 },
        { path: '/home/alice/root-made', problem: 'cannot read', reason: 'uid 0 gid 0 mode 0600', hidden: 0 },
      ],
    });
    expect(looked.filter((p) => p === '/home')).toHaveLength(1); // directories above are looked at once
    expect(looked).not.toContain('/home/alice/intact');
    expect(readableByText(report)).toBe(
      'not readable by alice (a backup run as alice would miss these):\n' +
        '  cannot read  /home/alice/gone  (not found)\n' +
        '  cannot read  /home/alice/listless  (uid 0 gid 0 mode 0711)\n' +
        '  cannot enter  /home/alice/locked  (uid 0 gid 0 mode 0700, hiding 2 entries to back up)\n' +
        '  cannot read  /home/alice/root-made  (uid 0 gid 0 mode 0600)\n',
    );
    expect(readableByJson(report).problems[2]).toEqual({ path: '/home/alice/locked', problem: 'cannot enter', reason: 'uid 0 gid 0 mode 0700', hidden: 2 });
  });

  it('flags a directory above the scan that the user cannot enter, or cannot even look at', () => {
    const bob = accountFromFiles('bob', passwd, group);
    const c = new ReadableByCheck(bob, (path) => modes[path]);
    feed(c, [['/home/alice/notes', 'file', 'new']]);
    const none = new ReadableByCheck(bob, () => undefined);
    feed(none, [['/x', 'file', 'new']]);
    expect(c.report().problems).toEqual([{ path: '/home/alice', problem: 'cannot enter', reason: 'uid 1000 gid 1000 mode 0700', hidden: 1 }]);
    expect(none.report().problems).toEqual([{ path: '/', problem: 'cannot enter', reason: 'not found', hidden: 1 }]);
  });

  it('says so when everything is readable, and gives exact bytes in JSON', () => {
    const c = check();
    feed(c, [['/home/alice/notes', 'file', 'new']]);
    expect(readableByText(c.report())).toBe('readable by alice: everything to back up\n');
    expect(readableByText({ user: 'al', problems: [{ path: '/a\nb\xff', problem: 'cannot enter', reason: 'r', hidden: 1 }] })).toContain(
      'cannot enter  /a\\nb\\xff  (r, hiding 1 entry to back up)',
    );
    expect(readableByJson({ user: 'al', problems: [{ path: '/\xff', problem: 'cannot read', reason: 'r', hidden: 0 }] }).problems[0]!.pathBase64).toBe('L/8=');
  });
});
