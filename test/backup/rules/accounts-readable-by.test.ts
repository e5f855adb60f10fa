import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readableByAccount } from '#backup/adapters/accounts/accounts-readable-by.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

describe('the --readable-by account adapter', () => {
  it("reads the scanned root's own passwd and group files", async () => {
    const root = await mkdtemp(join(tmpdir(), 'cave-accounts-'));
    made.push(root);
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc/passwd'), 'carol:x:2000:2000::/home/carol:/bin/sh\n');
    await writeFile(join(root, 'etc/group'), 'carol:x:2000:\naudio:x:29:carol\n');
    expect(readableByAccount('carol', root)).toEqual({ name: 'carol', uid: 2000n, gids: [2000n, 29n] });
  });

  it('knows the running system, and a uid even without files', async () => {
    expect(readableByAccount('root').uid).toBe(0n);
    expect(readableByAccount('123', '/nonexistent')).toEqual({ name: '123', uid: 123n, gids: [] });
    expect(() => readableByAccount('nobody-at-all', '/nonexistent')).toThrow('no user');
  });
});
