import { it } from 'vitest';
import { lstatSync, openSync, readSync, closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { DpkgDatabase } from '../../src/backup/adapters/dpkg-database.js';
import { WorkerDigester } from '../../src/backup/adapters/digest-workers.js';
import { NodeFileSystem } from '../../src/backup/adapters/node-fs.js';
it('prof', async () => {
  const db = await new DpkgDatabase().load();
  const names = [...new Set(db.files.map((f) => f.package))].sort().filter((_, i) => i % 4 === 0);
  const s = new Set(names);
  const files = db.files.filter((f) => s.has(f.package) && f.digest).map((f) => f.path).filter((p) => { try { return lstatSync(p).isFile(); } catch { return false; } });
  const fs = new NodeFileSystem('/');
  const d = new WorkerDigester((p) => fs.host(p));
  let t = performance.now();
  await Promise.all(files.map((p) => d.digest(p, 'md5')));
  console.log('workers', performance.now() - t);
  t = performance.now();
  await Promise.all(files.map((p) => d.digest(p, 'md5')));
  console.log('workers again', performance.now() - t);
  t = performance.now();
  const buf = Buffer.alloc(1 << 20);
  for (const p of files) { const fd = openSync(p, 'r'); const h = createHash('md5'); for (;;) { const n = readSync(fd, buf, 0, buf.length, null); if (!n) break; h.update(buf.subarray(0, n)); } closeSync(fd); h.digest('hex'); }
  console.log('main thread', performance.now() - t);
  await d.close();
}, 100000);
