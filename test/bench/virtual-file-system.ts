import type { DirEntry, FileStat, FileSystemPort } from '#backup/domain/ports/file-system.port.js';

/**
 * A file system that exists only as arithmetic: `dirs` folders under /data, each holding
 * `filesPerDir` files. Nothing is stored, so the memory measured is the scanner's and the summary's.
 */
export class VirtualFileSystem implements FileSystemPort {
  constructor(
    private readonly dirs: number,
    private readonly filesPerDir: number,
  ) {}

  private stat(type: 'file' | 'directory', ino: bigint): FileStat {
    const mode = type === 'file' ? 0o100644n : 0o40755n;
    return { type, dev: 1n, ino, mode, nlink: 1n, uid: 0n, gid: 0n, rdev: 0n, size: type === 'file' ? 1000n : 0n, mtimeNs: 0n, ctimeNs: 0n };
  }

  list(dir: string): DirEntry[] {
    if (dir === '/') return [{ name: 'data', type: 'directory' }];
    if (dir === '/data') return Array.from({ length: this.dirs }, (_, i) => ({ name: `d${i}`, type: 'directory' as const }));
    return Array.from({ length: this.filesPerDir }, (_, i) => ({ name: `f${i}`, type: 'file' as const }));
  }

  lstat(path: string): FileStat {
    const depth = path === '/' ? 0 : path.split('/').length - 1;
    return this.stat(depth < 3 ? 'directory' : 'file', BigInt(path.length));
  }

  readlink(): string {
    throw Object.assign(new Error('not a link'), { code: 'EINVAL' });
  }

  mountPoints(): ReadonlySet<string> {
    return new Set();
  }

  canRead(): boolean {
    return true;
  }

  async *readChunks(): AsyncIterable<Uint8Array> {
    yield new Uint8Array();
  }
}
