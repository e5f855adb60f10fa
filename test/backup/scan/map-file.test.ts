import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapFile } from '#backup/adapters/native-walker/map-file.js';
import { loadNativeWalker } from '#backup/adapters/native-walker/native-walker.js';

// The caches a rescan reads whole (the rpm snapshot, the digest cache) are mapped where the addon
// can (map-file.c), else read as before: a mapping must give exactly the bytes a read gives.

const top = mkdtempSync(join(tmpdir(), 'cave-map-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
const native = loadNativeWalker();

/** A file of `size` bytes that differ from page to page, and its path. */
function fileOf(name: string, size: number): string {
  const path = join(top, name);
  writeFileSync(path, Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + (i >> 12)) & 255)));
  return path;
}

describe('a file mapped whole (mapFile)', () => {
  it('is in the addon, built from source', () => {
    expect(typeof native?.mapFile).toBe('function');
  });

  it('gives exactly the bytes a read gives, at every size about a page', () => {
    for (const size of [1, 4095, 4096, 4097, 65_536 * 3 + 5]) {
      const path = fileOf(`f${size}`, size);
      expect(mapFile(path, native)?.equals(readFileSync(path))).toBe(true);
    }
  });

  it('keeps the bytes it mapped when the file is replaced by a rename or removed, as the caches are', () => {
    const path = fileOf('replaced', 10_000);
    const before = readFileSync(path);
    const mapped = mapFile(path, native)!;
    writeFileSync(`${path}.new`, 'other');
    renameSync(`${path}.new`, path);
    expect(mapped.equals(before)).toBe(true);
    unlinkSync(path);
    expect(mapped.equals(before)).toBe(true);
  });

  it('never writes to the file: a write into the buffer stays in this process', () => {
    const path = fileOf('private', 5000);
    const before = readFileSync(path);
    const mapped = mapFile(path, native)!;
    mapped.fill(0);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('is none where a read is left to say why: absent, empty, a folder, a FIFO (at once, not waiting for a writer), a name with NUL', () => {
    const empty = fileOf('empty', 0);
    const folder = join(top, 'folder');
    mkdirSync(folder);
    const fifo = join(top, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of [join(top, 'none'), empty, folder, fifo, `${empty}\0x`]) expect(mapFile(path, native)).toBeUndefined();
  });

  it('is none without the addon, turned off or built before mapFile: the caller reads the file', () => {
    const path = fileOf('plain', 10);
    process.env.WHAT_TO_BACKUP_NATIVE = '0';
    try {
      expect(mapFile(path)).toBeUndefined();
    } finally {
      delete process.env.WHAT_TO_BACKUP_NATIVE;
    }
    expect(mapFile(path)?.equals(readFileSync(path))).toBe(true);
    expect(mapFile(path, { ...native!, mapFile: undefined })).toBeUndefined();
  });
});
