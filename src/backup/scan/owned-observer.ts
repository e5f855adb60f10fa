import type { AccountsPort } from '#backup/domain/ports/accounts.port.js';
import type { DigestPort, DigestResult } from '#backup/domain/ports/digest.port.js';
import type { FileStat, FileSystemPort } from '#backup/domain/ports/file-system.port.js';
import type { OwnedFile } from '#backup/domain/ports/package-database.port.js';
import { needsDigest, type Observation } from '#backup/domain/verify/verify-file.js';
import { Verify } from '#backup/domain/verify/verify-flags.js';
import type { OwnershipIndex } from './ownership-index.js';
import { PendingEntry } from './pending-entry.js';

function isDirectoryMode(mode: number): boolean {
  return (mode & 0o170000) === 0o40000;
}

/**
 * What the walk sees of an owned path, for each record that owns it: the stat (a directory that
 * became a symlink seen as its target, as rpm does), the link target, and the content digest,
 * read once per hard-linked inode. Synchronous unless a digest has to wait for a worker.
 */
export class OwnedObserver {
  /** Files whose content was read (cache hits and repeated hard links not counted). */
  hashed = 0;
  private readonly sameInode = new Map<string, Promise<DigestResult>>();

  constructor(
    private readonly fs: FileSystemPort,
    private readonly digester: DigestPort,
    private readonly index: OwnershipIndex,
    /** Take recorded digests as matching, reading no content (`--quick`). */
    private readonly quick: boolean,
    /** The names packages record for ids, for the verify step. */
    readonly accounts: AccountsPort,
  ) {}

  /** One observation per owner of `path`, in the owners' order. */
  observe(path: string, stat: FileStat, owners: readonly OwnedFile[]): Promise<Observation[]> | Observation[] {
    const linkTarget = this.linkTarget(path, stat, owners);
    if (owners.length === 1) {
      // The common case, without the lists and closures of several owners.
      const owner = owners[0]!;
      const seenAs = this.seenAs(path, stat, owner);
      const digest = this.digestFor(path, stat, owner);
      return digest instanceof Promise ? digest.then((d) => [{ stat: seenAs, linkTarget, digest: d }]) : [{ stat: seenAs, linkTarget, digest }];
    }
    const digests = owners.map((o) => this.digestFor(path, stat, o));
    const seenAs = owners.map((o) => this.seenAs(path, stat, o));
    const make = (results: Array<DigestResult | undefined>) => results.map((digest, i) => ({ stat: seenAs[i], linkTarget, digest }));
    return digests.some((d) => d instanceof Promise) ? Promise.all(digests).then(make) : make(digests as Array<DigestResult | undefined>);
  }

  /**
   * Record `id`'s content check answered at once from a digest the digester knows without reading
   * (a cache hit), for a file whose every other test passed (PlainVerdicts' READ): `true` when it is
   * the recorded one, else the digest known; undefined when none is known.
   */
  checkKnown(id: number, stat: FileStat): true | DigestResult | undefined {
    const table = this.index.records;
    const length = table.columns.digestLength[id]!;
    if (this.digester.checkKnown === undefined || length > 64) return undefined;
    return this.digester.checkKnown(stat, table.algoOf(id)!, table.digestBytes, table.columns.digestAt[id]!, length);
  }

  /**
   * Record `id`'s content check, for a file whose every other test passed (PlainVerdicts' READ), as
   * an entry that waits for it; undefined when the digester cannot check (then `observe`), or the
   * file has more than one link (`observe` reads an inode once).
   */
  checkLater(id: number, path: string, stat: FileStat): PendingEntry | undefined {
    const table = this.index.records;
    const length = table.columns.digestLength[id]!;
    if (this.digester.check === undefined || stat.nlink !== 1n || length > 64) return undefined;
    const pending = new PendingEntry(path, stat, id);
    pending.ready = this.digester.check(path, table.algoOf(id)!, stat, table.digestBytes, table.columns.digestAt[id]!, length, pending);
    if (pending.answer === undefined) this.hashed++; // answered at once: a cache hit, nothing read
    return pending;
  }

  /** The digest `record` is compared with: none needed, the recorded one (--quick), or the content's. */
  private digestFor(path: string, stat: FileStat, record: OwnedFile): DigestResult | Promise<DigestResult> | undefined {
    if (!needsDigest(record, stat)) return undefined;
    // --quick takes the recorded digest as matching: synchronous, so nothing waits on it.
    if (this.quick) return { ok: true, hex: record.digest.toLowerCase(), size: stat.size };
    return this.digestOf(path, stat, record);
  }

  /** The stat `record` is verified against: a directory that became a symlink is seen as its target. */
  private seenAs(path: string, stat: FileStat, record: OwnedFile): FileStat {
    return isDirectoryMode(record.mode) && stat.type === 'symlink' ? this.followedDirectory(path, stat) : stat;
  }

  private linkTarget(path: string, stat: FileStat, owners: readonly OwnedFile[]): string | undefined {
    if (stat.type !== 'symlink' || !owners.some((o) => o.verifyFlags & Verify.LINKTO)) return undefined;
    try {
      return this.fs.readlink(path);
    } catch {
      return undefined;
    }
  }

  private digestOf(path: string, stat: FileStat, record: OwnedFile): DigestResult | Promise<DigestResult> {
    const hit = this.digester.known?.(stat, record.digestAlgo!);
    if (hit) return hit; // a cache hit decides at once: the entry need not wait in the queue
    const key = stat.nlink > 1n ? `${stat.dev}:${stat.ino}:${record.digestAlgo}` : '';
    const known = key ? this.sameInode.get(key) : undefined;
    if (known) return known;
    this.hashed++;
    const pending = this.digester.digest(path, record.digestAlgo!, stat);
    if (key) this.sameInode.set(key, pending);
    return pending;
  }

  /**
   * rpm verifies a directory that became a symlink to a directory as that directory, when the
   * link belongs to root or to the directory's owner (rpmfilesVerify does the same).
   */
  private followedDirectory(path: string, link: FileStat): FileStat {
    try {
      const resolved = this.index.resolve(`${path}/_`); // resolves every directory of the path, the link included
      const target = this.fs.lstat(resolved.slice(0, resolved.lastIndexOf('/')) || '/');
      return target.type === 'directory' && (link.uid === 0n || link.uid === target.uid) ? target : link;
    } catch {
      return link;
    }
  }
}
