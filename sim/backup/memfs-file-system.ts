import type { Volume } from 'memfs';
import { fileStat, type DirEntry, type FileStat, type FileSystemPort, type FileType } from '#backup/domain/ports/file-system.port.js';

export type FsOperation = 'list' | 'lstat' | 'readlink' | 'read' | 'access';

/** Make one operation on one path fail with an errno code, as a real file system can. */
export interface Fault {
  readonly op: FsOperation;
  readonly path: string;
  readonly code: string;
}

export interface MemfsOptions {
  readonly faults?: readonly Fault[];
  /** Paths to report as mount points (bind mounts: same device). */
  readonly mountPoints?: readonly string[];
  /** A device number for a path and everything below it (memfs has one device). */
  readonly devices?: Readonly<Record<string, bigint>>;
  /** Paths that are special files (memfs has no FIFOs, sockets or devices): lstat says so. */
  readonly special?: Readonly<Record<string, FileType>>;
  /** Runs before every operation: lets a test change the tree mid-walk. */
  readonly beforeOperation?: (op: FsOperation, path: string, vol: Volume) => void;
}

function fail(code: string, op: string, path: string): never {
  throw Object.assign(new Error(`${code}: ${op} ${JSON.stringify(path)}`), { code });
}

type MemStats = { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean };

function typeOf(s: MemStats): FileType {
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  return 'file';
}

/**
 * The file system port over a memfs volume, for tests and simulations. Byte-string paths are used
 * as memfs names directly (one character per byte), so odd names survive as they do on disk.
 */
export class MemfsFileSystem implements FileSystemPort {
  /** Every operation, in order, for tests that check what the scanner touched. */
  readonly operations: Array<[FsOperation, string]> = [];

  constructor(
    readonly vol: Volume,
    private readonly options: MemfsOptions = {},
  ) {}

  private before(op: FsOperation, path: string): void {
    this.operations.push([op, path]);
    this.options.beforeOperation?.(op, path, this.vol);
    const fault = this.options.faults?.find((f) => f.op === op && f.path === path);
    if (fault) fail(fault.code, op, path);
  }

  private special(path: string): FileType | undefined {
    return this.options.special?.[path];
  }

  private device(path: string): bigint {
    let best: [number, bigint] = [-1, 0n];
    for (const [top, dev] of Object.entries(this.options.devices ?? {})) {
      const under = path === top || path.startsWith(top === '/' ? '/' : `${top}/`);
      if (under && top.length > best[0]) best = [top.length, dev];
    }
    return best[1];
  }

  list(dir: string): DirEntry[] {
    this.before('list', dir);
    const entries = this.vol.readdirSync(dir, { withFileTypes: true }) as unknown as Array<MemStats & { name: string }>;
    return entries.map((d) => {
      const path = dir === '/' ? `/${d.name}` : `${dir}/${d.name}`;
      return { name: String(d.name), type: this.special(path) ?? typeOf(d) };
    });
  }

  lstat(path: string): FileStat {
    this.before('lstat', path);
    const s = this.vol.lstatSync(path, { bigint: true });
    const type = this.special(path) ?? typeOf(s);
    const typeBits = { file: 0o100000n, directory: 0o40000n, symlink: 0o120000n, fifo: 0o10000n, socket: 0o140000n, 'char-device': 0o20000n, 'block-device': 0o60000n }[type];
    // memfs has one device and no special files: the device and the type bits are this fake's.
    return { ...fileStat(type, s), dev: this.device(path), mode: typeBits | (s.mode & 0o7777n) };
  }

  readlink(path: string): string {
    this.before('readlink', path);
    return String(this.vol.readlinkSync(path));
  }

  mountPoints(): ReadonlySet<string> {
    return new Set(this.options.mountPoints ?? []);
  }

  canRead(path: string): boolean {
    try {
      this.before('access', path);
      return true;
    } catch {
      return false;
    }
  }

  async *readChunks(path: string): AsyncIterable<Uint8Array> {
    this.before('read', path);
    if (this.special(path)) fail('EINVAL', 'read', path); // never open a FIFO, socket or device
    const content = this.vol.readFileSync(path) as Buffer;
    for (let at = 0; at < content.length || at === 0; at += 4096) {
      yield content.subarray(at, at + 4096);
      if (content.length === 0) return;
    }
  }
}
