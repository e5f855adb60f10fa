/** Digest workers that die, and files that change while hashed (issue #16, defect 4). */
import { createHash } from 'node:crypto';
import { appendFileSync, lstatSync, mkdirSync, mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerDigester } from '#backup/adapters/digest-workers/digest-workers.js';
import { digestFile } from '#backup/adapters/digest-workers/digest-file.js';
import { NodeFileSystem } from '#backup/adapters/node-fs/node-fs.js';
import { fileStat } from '#backup/domain/ports/file-system.port.js';

let top: string;
const dying = new URL('./fixtures/dying-digest-worker.mjs', import.meta.url);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeAll(() => {
  top = mkdtempSync(join(tmpdir(), 'cave-digest-'));
  mkdirSync(join(top, 'files'));
  for (let i = 0; i < 300; i++) writeFileSync(join(top, 'files', `f${i}`), `file ${i}`);
  writeFileSync(join(top, 'files', 'poison'), 'kills the worker');
});

afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('WorkerDigester when a worker dies', () => {
  it('reports the file it died on with a reason, hashes every other file on a new worker, and never hangs', async () => {
    const fs = new NodeFileSystem(top);
    const digester = new WorkerDigester((p) => fs.host(p), 2, dying);
    try {
      const names = [...Array.from({ length: 300 }, (_, i) => `f${i}`).slice(0, 150), 'poison', ...Array.from({ length: 150 }, (_, i) => `f${150 + i}`)];
      const results = await Promise.all(names.map((n) => digester.digest(`/files/${n}`, 'sha256')));
      const byName = new Map(names.map((n, i) => [n, results[i]!]));
      expect(byName.get('poison')).toEqual({ ok: false, code: 'digest-worker-died' });
      for (let i = 0; i < 300; i++) expect(byName.get(`f${i}`), `f${i}`).toEqual({ ok: true, hex: sha256(`file ${i}`), size: BigInt(`file ${i}`.length) });
      // The pool still works afterwards.
      expect(await digester.digest('/files/f7', 'sha256')).toMatchObject({ ok: true, hex: sha256('file 7') });
    } finally {
      await digester.close();
    }
  });

  it('gives up on every pending file with a reason when workers keep dying', async () => {
    const fs = new NodeFileSystem(top);
    const digester = new WorkerDigester((p) => fs.host(p), 1, dying);
    try {
      const results = await Promise.all(Array.from({ length: 40 }, () => digester.digest('/files/poison', 'sha256')));
      expect(results.every((r) => !r.ok && r.code === 'digest-worker-died')).toBe(true);
    } finally {
      await digester.close();
    }
  });
});

describe('hashing a file that changes', () => {
  it('reports a file that grew since the scanner saw it as changed while reading, not as a digest', () => {
    const path = join(top, 'growing');
    writeFileSync(path, 'first part');
    const seen = fileStat('file', lstatSync(path, { bigint: true }));
    appendFileSync(path, ', and more written meanwhile');
    expect(digestFile(Buffer.from(path), 'sha256', Buffer.alloc(1 << 16), seen)).toEqual({ code: 'changed-while-reading' });
  });

  it('reports a file that shrank since the scanner saw it as changed while reading', () => {
    const path = join(top, 'shrinking');
    writeFileSync(path, 'a longer first version');
    const seen = fileStat('file', lstatSync(path, { bigint: true }));
    truncateSync(path, 3);
    expect(digestFile(Buffer.from(path), 'sha256', Buffer.alloc(1 << 16), seen)).toEqual({ code: 'changed-while-reading' });
  });

  it('reports a file rewritten since the scanner saw it, same size and mtime put back, as changed while reading', () => {
    const path = join(top, 'rewritten');
    writeFileSync(path, 'the packaged text');
    const seen = fileStat('file', lstatSync(path, { bigint: true }));
    writeFileSync(path, 'the modified text');
    utimesSync(path, new Date(Number(seen.mtimeNs / 1_000_000n)), new Date(Number(seen.mtimeNs / 1_000_000n)));
    expect(digestFile(Buffer.from(path), 'sha256', Buffer.alloc(1 << 16), { ...seen, mtimeNs: lstatSync(path, { bigint: true }).mtimeNs })).toEqual({
      code: 'changed-while-reading',
    });
  });

  it('reads a file larger than its buffer to the end, whatever each read returns', () => {
    const path = join(top, 'large');
    const content = 'x'.repeat(100_000) + 'end';
    writeFileSync(path, content);
    const seen = fileStat('file', lstatSync(path, { bigint: true }));
    expect(digestFile(Buffer.from(path), 'sha256', Buffer.alloc(4096), seen)).toEqual({ hex: sha256(content), size: content.length });
  });

  it('notices a file that grows while the worker reads it', async () => {
    const path = join(top, 'big-sparse');
    writeFileSync(path, '');
    truncateSync(path, 1 << 28); // 256 MiB of holes: long enough to hash that the append lands mid-read
    const fs = new NodeFileSystem(top);
    const digester = new WorkerDigester((p) => fs.host(p), 1);
    try {
      const seen = fileStat('file', lstatSync(path, { bigint: true }));
      const pending = digester.digest('/big-sparse', 'md5', seen);
      digester.flush();
      await new Promise((r) => setTimeout(r, 20));
      appendFileSync(path, 'late');
      expect(await pending).toEqual({ ok: false, code: 'changed-while-reading' });
    } finally {
      await digester.close();
    }
  });
});
