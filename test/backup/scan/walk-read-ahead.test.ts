/**
 * The walk with listings read ahead (FileSystemPort.readAhead), over generated trees in memory:
 * whichever folders were read ahead, it finds what it finds without, asks for folders in its own
 * order, tells the reader each folder it leaves out and asks nothing below it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AheadRules, ListingsAhead } from '#backup/domain/ports/file-system.port.js';
import { listingOf, ScriptedListingsAhead, walkOrder } from '#sim/backup/listings-ahead.js';
import { MemfsFileSystem } from '#sim/backup/memfs-file-system.js';
import { simScan, simSystem } from './sim-scan.js';
import { streamDigester } from './stream-digester.js';

const name = fc.constantFrom('a', 'a-b', 'a b', 'b', '\xe9', '\xff\x01', '.h');
/** Files at paths of one to four names; the folders above them follow. */
const tree = fc.uniqueArray(fc.array(name, { minLength: 1, maxLength: 4 }), { maxLength: 30, selector: (p) => p.join('/') }).map((paths) => {
  const files = paths.map((p) => `/${p.join('/')}`);
  // A path cannot be a file and a folder: keep the files nothing else lies under.
  return files.filter((f) => !files.some((o) => o.startsWith(`${f}/`)));
});

/** The folders of a set of files, without `/`. */
const foldersOf = (files: string[]) => [...new Set(files.flatMap((f) => f.split('/').slice(1, -1).map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`)))];

describe('the walk with listings read ahead', () => {
  it('finds what it finds without, asks in walk order, and asks nothing below a folder it leaves out', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.array(fc.nat(), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), async (files, excludedPicks, unreadPicks) => {
        const { vol } = simSystem([], Object.fromEntries(files.map((f) => [f, 'x'])));
        const folders = foldersOf(files);
        const pick = (picks: number[]) => new Set(folders.length ? picks.map((n) => folders[n % folders.length]!) : []);
        const excluded = pick(excludedPicks);
        const unread = pick(unreadPicks);
        const isExcluded = (path: string) => excluded.has(path);
        const readers: ScriptedListingsAhead[] = [];
        class ReadAhead extends MemfsFileSystem {
          readonly listWithStatus = listingOf(this);
          readAhead(root: string, rules: AheadRules): ListingsAhead {
            expect(rules.oneFileSystem).toBe(true);
            const reader = new ScriptedListingsAhead(root, listingOf(this), { unread });
            readers.push(reader);
            return reader;
          }
        }
        const fs = new ReadAhead(vol);
        const ahead = await simScan(vol, undefined, {}, { fs, digester: streamDigester(fs), isExcluded });
        const plain = new MemfsFileSystem(vol);
        const without = await simScan(vol, undefined, {}, { fs: plain, digester: streamDigester(plain), isExcluded });
        expect(ahead.entries).toEqual(without.entries);

        expect(readers).toHaveLength(1);
        const calls = readers[0]!.calls;
        expect(calls.at(-1)).toBe('close');
        const taken = calls.filter((c) => c.startsWith('take ')).map((c) => c.slice(5));
        for (let i = 1; i < taken.length; i++) expect(walkOrder(taken[i - 1]!, taken[i]!)).toBe(-1);
        // Skipped: each excluded folder the walk came to, in order, and nothing taken at or below one.
        const skipped = calls.filter((c) => c.startsWith('skip ')).map((c) => c.slice(5));
        const reached = new Set(ahead.entries.map((e) => e.path));
        expect(skipped).toEqual(folders.filter((f) => excluded.has(f) && reached.has(f)).sort(walkOrder));
        for (const dir of taken) expect(skipped.some((s) => dir === s || dir.startsWith(`${s}/`))).toBe(false);
        // Every folder walked into was asked of the reader once: `/` and what is not excluded.
        expect(taken).toEqual(['/', ...folders.filter((f) => reached.has(f) && ![...excluded].some((x) => f === x || f.startsWith(`${x}/`)))].sort(walkOrder));
      }),
      { numRuns: 200 },
    );
  });
});
