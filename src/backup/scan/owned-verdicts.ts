/**
 * What the walk asks of the package database: the verdict on each path it finds, and at the end
 * the owned paths it did not find. Apart from the walk (walk.ts) so that a scan without a database
 * (`--package-db none`) loads none of this, nor the owned-file table and verify code below it.
 * @module
 */
import { byPath } from '#backup/domain/paths/byte-order.js';
import type { FileStat } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { classifyOwned, type OwnedVerdict } from '#backup/domain/verify/classify-owned.js';
import { PlainVerdicts, READ } from '#backup/domain/verify/plain-verdicts.js';
import { verifyFile, type Observation } from '#backup/domain/verify/verify-file.js';
import { OwnedObserver } from './owned-observer.js';
import { NO_OWNER, OwnershipIndex, SEVERAL } from './ownership-index.js';
import type { PendingEntry } from './pending-entry.js';
import type { MissingFile, ScanOptions } from './scan-options.js';

/** An owned record the walk did not find that rpm would report missing. */
function isReportedMissing(o: OwnedFile): boolean {
  return o.state !== 'not-installed' && o.state !== 'net-shared' && !o.flags.ghost && !o.flags.missingOk && o.mode !== 0;
}

/** The package database's side of one scan: construct with the scan's options, ask `verdict` for each path. */
export class OwnedVerdicts {
  private readonly index: OwnershipIndex;
  private readonly observer: OwnedObserver;
  /** The common case of an owned path, decided from the table's columns. */
  private readonly plain: PlainVerdicts;

  constructor(options: ScanOptions) {
    this.index = new OwnershipIndex(options.database, options.fs);
    this.observer = new OwnedObserver(options.fs, options.digester, this.index, options.quick ?? false, options.accounts);
    // No digester: a digest known without reading is asked by `verdict` (checkKnown), as bytes, not text.
    this.plain = new PlainVerdicts(this.index.records, options.accounts, options.quick ?? false, undefined);
  }

  /** Files whose content was read (cache hits and repeated hard links not counted). */
  get hashed(): number {
    return this.observer.hashed;
  }

  /**
   * The verdict on `path` as found (`stat`); undefined when no package owns it (new). A plain file
   * whose content must be read comes back as a `PendingEntry` its content check answers (then
   * `afterRead`), any other that waits for a digest as a promise.
   */
  verdict(path: string, stat: FileStat): OwnedVerdict | Promise<OwnedVerdict> | PendingEntry | undefined {
    const id = this.index.claimId(path);
    if (id === NO_OWNER) return undefined; // classifyOwned's verdict, without its allocations
    const plain = id === SEVERAL ? undefined : this.plain.verdict(id, stat);
    if (plain === READ) {
      const known = this.observer.checkKnown(id, stat); // a cache hit: decided now, nothing queued
      if (known !== undefined) return this.plain.afterRead(id, stat, known);
      const later = this.observer.checkLater(id, path, stat);
      if (later !== undefined) return later;
    } else if (plain !== undefined) return plain;
    const owners = id === SEVERAL ? this.index.claim(path) : [this.index.record(id, path)];
    const seen = this.observer.observe(path, stat, owners);
    return seen instanceof Promise ? seen.then((s) => this.decide(owners, s)) : this.decide(owners, seen);
  }

  /** The verdict on a file whose content check (a `PendingEntry` from `verdict`) is answered. */
  afterRead(p: PendingEntry): OwnedVerdict {
    return this.plain.afterRead(p.id, p.stat, p.answer!);
  }

  private decide(owners: readonly OwnedFile[], seen: Observation[]): OwnedVerdict {
    const accounts = this.observer.accounts;
    const outcomes = owners.length === 1 ? [verifyFile(owners[0]!, seen[0]!, accounts, 1)] : owners.map((o, i) => verifyFile(o, seen[i]!, accounts, owners.length));
    return classifyOwned(owners, outcomes);
  }

  /** Owned paths the walk did not find that `counts` (inside a root, not under a skipped path) and rpm reports, in byte order. */
  missing(counts: (path: string) => boolean): MissingFile[] {
    const missing: MissingFile[] = [];
    for (const [path, owners] of this.index.unclaimed()) {
      if (!counts(path)) continue;
      for (const o of owners) if (isReportedMissing(o)) missing.push({ path, package: o.package, config: o.flags.config });
    }
    return missing.sort(byPath);
  }
}
