/**
 * Directory listings read before the walk starts, while the package database loads: the walk's
 * first directories, depth-first in byte order as the walk will ask for them, each listed on
 * libuv's pool with the same checks the walk makes before it descends. For the first 100-150 ms of
 * a `--quick` run or a cached rescan the pool otherwise idles while JavaScript reads the database.
 * @module
 */
import { childPath } from '#backup/domain/paths/byte-path.js';
import type { FileSystemPort, StatusEntry } from '#backup/domain/ports/file-system.port.js';

/** What decides, as in the walk, whether a directory is descended into. */
export interface DescentRules {
  /** Stay on the root's file system (the walk's default). */
  readonly oneFileSystem: boolean;
  /** Mount points, as paths of the scanned system (FileSystemPort.mountPoints). */
  readonly mounts: ReadonlySet<string>;
  /** The walk's exclusion (the user's patterns, skip and dump rules). */
  readonly isExcluded?: ((path: string, isDirectory: boolean) => boolean) | undefined;
}

/** Whether the walk descends into the entry at `path` of a listing (walk.ts asks the same). */
export function descends(entry: StatusEntry, path: string, rootDev: bigint, rules: DescentRules): boolean {
  const { stat, readable } = entry;
  if (stat?.type !== 'directory' || !readable) return false;
  if (rules.oneFileSystem && (rules.mounts.has(path) || stat.dev !== rootDev)) return false;
  return rules.isExcluded?.(path, true) !== true;
}

/** Listings held for the walk; at most this many wait, which bounds their memory. */
const HELD = 512;

/** Listings primed for one walk: `start()` it, the walk `take()`s them, then `close()`. */
export class ListingPrimer {
  private readonly held = new Map<string, Promise<StatusEntry[]>>();
  private issuing = true;

  constructor(
    private readonly fs: FileSystemPort,
    private readonly rules: DescentRules,
  ) {}

  /** Starts listing from `root` in the background. */
  start(root: string): void {
    if (this.fs.listWithStatusLater === undefined) return;
    this.prime(root).catch(() => undefined); // a failure only means fewer listings primed
  }

  /** How many listings wait for the walk. */
  get waiting(): number {
    return this.held.size;
  }

  /** Whether the listing of `path` is held (the walk then does not read it ahead itself). */
  holds(path: string): boolean {
    return this.held.has(path);
  }

  /** The listing of `path`, if it was primed; it is then the walk's. */
  take(path: string): Promise<StatusEntry[]> | undefined {
    const listing = this.held.get(path);
    if (listing !== undefined) this.held.delete(path);
    return listing;
  }

  /** Lists nothing more: the walk has started and reads ahead itself. */
  stop(): void {
    this.issuing = false;
  }

  /** Drops what the walk did not take. */
  close(): void {
    this.issuing = false;
    this.held.clear();
  }

  /** One listing at a time, depth-first: a directory's children are known once its listing is. */
  private async prime(root: string): Promise<void> {
    const rootDev = this.fs.lstat(root).dev;
    const stack: { readonly paths: string[]; at: number }[] = [{ paths: [root], at: 0 }];
    while (stack.length > 0 && this.issuing && this.held.size < HELD) {
      const level = stack[stack.length - 1]!;
      if (level.at === level.paths.length) {
        stack.pop();
        continue;
      }
      const path = level.paths[level.at++]!;
      const later = this.fs.listWithStatusLater!(path);
      if (later === undefined) continue; // a long path: the walk lists it
      later.catch(() => undefined); // the walk sees the failure when it takes the listing
      this.held.set(path, later);
      const entries = await later.catch(() => undefined);
      if (entries === undefined) continue;
      const below: string[] = [];
      for (const entry of entries) {
        const child = entry.path ?? childPath(path, entry.name);
        if (descends(entry, child, rootDev, this.rules)) below.push(child);
      }
      if (below.length > 0) stack.push({ paths: below, at: 0 });
    }
  }
}
