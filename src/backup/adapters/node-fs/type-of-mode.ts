import { constants } from 'node:fs';
import type { FileType } from '#backup/domain/ports/file-system.port.js';

/**
 * The type from st_mode's type bits, as a number: BigIntStats' isFile() and friends each do
 * bigint arithmetic (measured: a visible share of every lstat).
 */
export function typeOfMode(mode: number): FileType | 'unknown' {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFREG:
      return 'file';
    case constants.S_IFDIR:
      return 'directory';
    case constants.S_IFLNK:
      return 'symlink';
    case constants.S_IFIFO:
      return 'fifo';
    case constants.S_IFSOCK:
      return 'socket';
    case constants.S_IFCHR:
      return 'char-device';
    case constants.S_IFBLK:
      return 'block-device';
    default:
      return 'unknown';
  }
}
