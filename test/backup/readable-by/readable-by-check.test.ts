import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { unreadableFor } from '../../../src/backup/adapters/readable-by-check.js';
import { MemfsFileSystem } from '../../../sim/memfs-file-system.js';

const reader = { name: 'me', uid: 1000n, gids: new Set([1000n]) };

describe('checking a flat list for a user', () => {
  it('skips what vanished or cannot be listed since the scan, which reported it already', () => {
    const vol = new Volume();
    vol.mkdirSync('/data/sub', { recursive: true });
    vol.writeFileSync('/data/sub/f', 'x');
    const fs = new MemfsFileSystem(vol, { faults: [{ op: 'list', path: '/data/sub', code: 'EIO' }] });
    expect(unreadableFor(reader, ['/gone', '/data/'], fs)).toEqual([]);
  });
});
