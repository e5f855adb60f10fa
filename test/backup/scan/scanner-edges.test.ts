import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileStat, ListingsAhead, StatusEntry } from '#backup/domain/ports/file-system.port.js';
import { MemfsFileSystem } from '#sim/backup/memfs-file-system.js';
import { simScan, simSystem } from './sim-scan.js';
import { streamDigester } from './stream-digester.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the scanner at its edges', () => {
  it('verifies a file two packages own against both, hashing it for each', async () => {
    const share = (name: string) => ({ name, paths: [{ path: '/usr/share/common/data', content: 'shared' }] });
    const { vol, db } = simSystem([share('one'), share('two')]);
    expect((await simScan(vol, db)).classes['/usr/share/common/data']).toBe('unmodified');
    vol.writeFileSync('/usr/share/common/data', 'SHARED');
    expect((await simScan(vol, db)).classes['/usr/share/common/data']).toMatch(/^modified \.\.5/);
  });

  it('takes a digest the digester already knows (a cache hit) without reading the file', async () => {
    const { vol, db } = simSystem([{ name: 'tool', paths: [{ path: '/usr/bin/tool', content: 'binary' }] }]);
    const reader = streamDigester(new MemfsFileSystem(vol));
    const known = (stat: FileStat) => ({ ok: true as const, hex: sha256('binary'), size: stat.size });
    const { classes, report } = await simScan(vol, db, {}, { digester: { ...reader, known } });
    expect(classes['/usr/bin/tool']).toBe('unmodified');
    expect(report.hashed).toBe(0);
  });

  it('calls a packaged folder turned into a dangling symlink modified', async () => {
    const { vol, db } = simSystem([{ name: 'tool', paths: [{ path: '/usr/share/tool', kind: 'dir' as const }] }]);
    vol.rmdirSync('/usr/share/tool');
    vol.symlinkSync('/nowhere', '/usr/share/tool');
    expect((await simScan(vol, db)).classes['/usr/share/tool']).toMatch(/^modified/);
  });

  it('reports a folder whose listing, read ahead, failed as unreadable, and one that vanished as vanished', async () => {
    const { vol } = simSystem([], { '/a/locked/x': 'x', '/a/gone/y': 'y', '/a/ok/z': 'z' });
    class ReadAhead extends MemfsFileSystem {
      listWithStatus(dir: string): StatusEntry[] {
        return this.list(dir).map(({ name }) => {
          const path = `${dir === '/' ? '' : dir}/${name}`;
          const stat = this.lstat(path);
          return { name, stat, code: undefined, readable: this.canRead(path) };
        });
      }
      readAhead(root: string): ListingsAhead {
        return {
          root,
          take: (dir) => {
            const code = dir === '/a/locked' ? 'EACCES' : dir === '/a/gone' ? 'ENOENT' : undefined;
            if (code) throw Object.assign(new Error(code), { code });
            return this.listWithStatus(dir);
          },
          skip: () => undefined,
          close: () => undefined,
        };
      }
    }
    const fs = new ReadAhead(vol);
    const { classes, report } = await simScan(vol, undefined, {}, { fs, digester: streamDigester(fs) });
    expect(classes['/a/locked']).toBe('unreadable EACCES');
    expect(classes['/a/ok/z']).toBe('new');
    expect(report.vanished).toContain('/a/gone');
    expect(classes['/a/gone/y']).toBeUndefined();
  });
});
