import { Volume } from 'memfs';
import type { ScannedEntry } from '#backup/domain/entry/entry.js';
import { streamDigester } from './stream-digester.js';
import { scan, type ScanOptions, type ScanReport } from '#backup/scan/scan.js';
import { installFakePackages, type FakePackage } from '#sim/backup/fake-rpm-database.js';
import { MemfsFileSystem, type MemfsOptions } from '#sim/backup/memfs-file-system.js';
import { accounts } from './owned-file.js';

/** A memfs system with fake packages installed, ready to be changed and scanned. */
export function simSystem(packages: FakePackage[], extra: Record<string, string> = {}) {
  const vol = new Volume();
  vol.mkdirSync('/', { recursive: true });
  const db = installFakePackages(vol, packages);
  for (const [path, content] of Object.entries(extra)) {
    vol.mkdirSync(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
    vol.writeFileSync(path, content);
  }
  return { vol, db };
}

export interface SimScan {
  entries: ScannedEntry[];
  report: ScanReport;
  fs: MemfsFileSystem;
  /** path → class, for compact assertions. */
  classes: Record<string, string>;
}

/** Runs the scanner over a volume through the memfs port. */
export async function simScan(
  vol: Volume,
  db: Awaited<ReturnType<typeof installFakePackages>> | undefined,
  fsOptions: MemfsOptions = {},
  scanOptions: Partial<ScanOptions> = {},
): Promise<SimScan> {
  const fs = new MemfsFileSystem(vol, fsOptions);
  const entries: ScannedEntry[] = [];
  const report = await scan({
    fs,
    digester: streamDigester(fs),
    accounts,
    database: db ? await db.load() : undefined,
    onEntry: (e) => entries.push(e),
    ...scanOptions,
  });
  const classes = Object.fromEntries(entries.map((e) => [e.path, e.reason ? `${e.class} ${e.reason}` : e.class]));
  return { entries, report, fs, classes };
}
