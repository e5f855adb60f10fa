/**
 * Paths longer than PATH_MAX (4,096 bytes), which the kernel refuses whole (ENAMETOOLONG) though
 * `find` walks below them. Node has no openat(), so a long path is cut into pieces shorter than
 * the limit at fixed component boundaries; the folder at each cut is opened once (an anchor), and
 * the next piece is resolved from it through `/proc/self/fd/N/piece`, which the kernel resolves
 * relative to that open folder, its length counted afresh. Worker threads share the descriptors.
 * @module
 */
import { closeSync, constants, existsSync, openSync } from 'node:fs';

/** Pieces stay below this many bytes, leaving room for `/proc/self/fd/NNNNNNNNNN`. */
const PIECE = 3_072;
/** Open anchors kept at most; the least recently used is closed first. */
const MAX_ANCHORS = 256;

/** Opens and remembers the anchor folders of long paths; {@link close} when the scan is over. */
export class LongPaths {
  private readonly anchors = new Map<string, number>();

  /** True when `full` is handed to the kernel as it is, with no anchor. */
  static isShort(full: string): boolean {
    return LongPaths.isShortLength(full.length);
  }

  /** True when a path of `length` bytes is handed to the kernel as it is ({@link isShort}). */
  static isShortLength(length: number): boolean {
    return length < PIECE;
  }

  /** The host path to hand the kernel for `full` (a byte string): itself when short enough. */
  hostPath(full: string): Buffer {
    if (LongPaths.isShort(full)) return Buffer.from(full, 'latin1');
    let fd: number | undefined;
    let from = 0;
    for (;;) {
      const cut = full.lastIndexOf('/', from + PIECE);
      if (full.length - from < PIECE || cut <= from) break;
      fd = this.anchor(full.slice(0, cut), fd, full.slice(from, cut));
      from = cut;
    }
    return Buffer.from(`/proc/self/fd/${fd}${full.slice(from)}`, 'latin1');
  }

  /** The open folder `dir`, opened as `piece` from the anchor `parent` (or from `/` when none). */
  private anchor(dir: string, parent: number | undefined, piece: string): number {
    const known = this.anchors.get(dir);
    if (known !== undefined) {
      this.anchors.delete(dir); // most recently used last
      this.anchors.set(dir, known);
      return known;
    }
    if (!existsSync('/proc/self/fd')) throw Object.assign(new Error(`path too long without /proc: ${dir}`), { code: 'ENAMETOOLONG' });
    const where = parent === undefined ? piece : `/proc/self/fd/${parent}${piece}`;
    const fd = openSync(Buffer.from(where, 'latin1'), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    this.anchors.set(dir, fd);
    if (this.anchors.size > MAX_ANCHORS) {
      // Safe to close: a stale `/proc/self/fd/N` path fails, or names another file, which the
      // digest's device, inode, size and mtime check refuses (digest-file.ts).
      const [oldest, oldFd] = this.anchors.entries().next().value as [string, number];
      this.anchors.delete(oldest);
      closeSync(oldFd);
    }
    return fd;
  }

  /** Closes every anchor. */
  close(): void {
    for (const fd of this.anchors.values()) closeSync(fd);
    this.anchors.clear();
  }
}
