import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FakePath } from '#sim/backup/fake-rpm-database.js';
import { simScan, simSystem } from './sim-scan.js';

type Change = 'none' | 'content' | 'size' | 'mode' | 'mtime' | 'remove';

interface Spec {
  path: string;
  content: string;
  owner: number | undefined;
  change: Change;
}

const name = fc.constantFrom('a', 'b', 'c d', 'e\nf', '\xe9t\xe9', 'x\ty', '.h');
const specs = fc
  .uniqueArray(
    fc.record({
      parts: fc.array(name, { minLength: 1, maxLength: 4 }),
      content: fc.string({ minLength: 1, maxLength: 8 }),
      owner: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      change: fc.constantFrom<Change>('none', 'content', 'size', 'mode', 'mtime', 'remove'),
    }),
    { selector: (r) => r.parts.join('/'), maxLength: 25 },
  )
  .map((rs) => rs.map((r): Spec => ({ path: `/${r.parts.join('/')}`, content: r.content, owner: r.owner, change: r.change })))
  // A file cannot also be a directory: drop specs whose path lies inside another spec's file.
  .map((list) => list.filter((s) => !list.some((o) => o !== s && s.path.startsWith(`${o.path}/`))));

/** The obvious answer, from what the test did to each file. */
function expected(list: Spec[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of list) {
    if (s.change === 'remove' && s.owner !== undefined) continue;
    const owned = s.owner !== undefined;
    out.set(s.path, !owned ? 'new' : ['content', 'size', 'mode'].includes(s.change) ? 'modified' : 'unmodified');
  }
  return out;
}

describe('scanner on generated trees', () => {
  it('classifies every file as the obvious model says, reports removed owned files missing, and emits in walk order', async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (list) => {
        const packages = [0, 1, 2].map((n) => ({
          name: `pkg${n}`,
          paths: list.filter((s) => s.owner === n).map((s): FakePath => ({ path: s.path, content: s.content })),
        }));
        const { vol, db } = simSystem(packages.filter((p) => p.paths.length), Object.fromEntries(list.filter((s) => s.owner === undefined).map((s) => [s.path, s.content])));
        for (const s of list) {
          if (s.owner === undefined) continue;
          if (s.change === 'content') vol.writeFileSync(s.path, Buffer.from([...Buffer.from(s.content, 'latin1')].map((b) => b ^ 1)));
          if (s.change === 'size') vol.writeFileSync(s.path, `${s.content}+`);
          if (s.change === 'mode') vol.chmodSync(s.path, 0o600);
          if (s.change === 'mtime') vol.utimesSync(s.path, 12345, 12345);
          if (s.change === 'remove') vol.unlinkSync(s.path);
        }
        const scanned = await simScan(vol, packages.some((p) => p.paths.length) ? db : undefined);
        const files = new Map(scanned.entries.filter((e) => e.kind === 'file').map((e) => [e.path, e.class]));
        expect(files).toEqual(expected(list));
        const removed = list.filter((s) => s.owner !== undefined && s.change === 'remove').map((s) => s.path).sort();
        expect(scanned.report.missing.map((m) => m.path)).toEqual(removed);
        // Depth-first: every entry's parent came before it, and paths never repeat.
        const seen = new Set<string>();
        for (const e of scanned.entries) {
          const parent = e.path.slice(0, e.path.lastIndexOf('/')) || '/';
          if (e.path !== '/') expect(seen.has(parent)).toBe(true);
          expect(seen.has(e.path)).toBe(false);
          seen.add(e.path);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('scanner on generated trees with injected faults', () => {
  const faultKind = fc.constantFrom(
    { op: 'lstat' as const, code: 'EACCES' },
    { op: 'lstat' as const, code: 'ELOOP' },
    { op: 'lstat' as const, code: 'ENAMETOOLONG' },
    { op: 'lstat' as const, code: 'ENOENT' },
    { op: 'list' as const, code: 'EACCES' },
    { op: 'list' as const, code: 'ENOENT' },
    { op: 'access' as const, code: 'EACCES' },
    { op: 'read' as const, code: 'EIO' },
  );

  it('reports every fault, drops nothing else, and keeps walk order', async () => {
    await fc.assert(
      fc.asyncProperty(specs, fc.array(fc.tuple(fc.nat(), faultKind), { maxLength: 4 }), async (list, picks) => {
        const packages = [{ name: 'p', paths: list.filter((s) => s.owner !== undefined).map((s): FakePath => ({ path: s.path, content: s.content })) }];
        const unowned = Object.fromEntries(list.filter((s) => s.owner === undefined).map((s) => [s.path, s.content]));
        const { vol, db } = simSystem(packages[0]!.paths.length ? packages : [], unowned);
        const all = Object.keys(vol.toJSON()).flatMap((file) => {
          const parts = file.split('/').slice(1);
          return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
        });
        const paths = [...new Set(all)].sort();
        if (paths.length === 0) return;
        const faults = picks.map(([n, f]) => ({ ...f, path: paths[n % paths.length]! }));
        const { entries, report } = await simScan(vol, packages[0]!.paths.length ? db : undefined, { faults });
        const byPath = new Map(entries.map((e) => [e.path, e]));
        expect(byPath.size).toBe(entries.length);
        expect(report.unreadable).toBe(entries.filter((e) => e.class === 'unreadable').length);
        const hidden = (p: string) => entries.some((e) => ['unreadable'].includes(e.class) && p.startsWith(`${e.path}/`)) || report.vanished.some((v) => p === v || p.startsWith(`${v}/`));
        // The fault the scanner meets first: it calls lstat, then access, then list (directories).
        const order = ['lstat', 'access', 'list', 'read'];
        const firstFault = (p: string) =>
          faults
            .filter((f) => f.path === p && (f.op !== 'list' || vol.statSync(p).isDirectory()))
            .sort((a, b) => order.indexOf(a.op) - order.indexOf(b.op))[0];
        for (const p of paths) {
          if (hidden(p)) continue;
          const fault = firstFault(p);
          const entry = byPath.get(p);
          if (fault?.code === 'ENOENT') expect(report.vanished).toContain(p);
          else if (fault && fault.op !== 'read') expect(entry?.class).toBe('unreadable');
          else expect(entry).toBeDefined();
        }
        expect(entries.filter((e) => e.path !== '/' && !paths.includes(e.path))).toEqual([]);
        const seen = new Set<string>(['/']);
        for (const e of entries) {
          if (e.path !== '/') expect(seen.has(e.path.slice(0, e.path.lastIndexOf('/')) || '/')).toBe(true);
          seen.add(e.path);
        }
      }),
      { numRuns: 150 },
    );
  });
});
