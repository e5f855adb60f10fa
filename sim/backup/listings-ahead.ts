/**
 * An in-memory {@link ListingsAhead} for walk tests: it serves any port's listings, leaves the
 * folders it is told to unread (the walk must then list them itself), fails those it is told to,
 * and records what the walk asked, so a test can check the walk keeps the port's contract: folders
 * asked in walk order, nothing asked below a folder it skipped, closed once done.
 * @module
 */
import type { FileSystemPort, ListingsAhead, StatusEntry } from '#backup/domain/ports/file-system.port.js';

/** What the fake does with some folders. */
export interface AheadScript {
  /** Folders not read ahead: `take` gives undefined. */
  readonly unread?: ReadonlySet<string>;
  /** Folders whose listing failed with this code. */
  readonly failing?: ReadonlyMap<string, string>;
}

/** The walk order of two paths: byte order with `/` below every byte (a subtree before its next sibling). */
export function walkOrder(a: string, b: string): number {
  const key = (p: string) => p.replaceAll('/', '\0');
  const [x, y] = [key(a), key(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Listings "read ahead" from `list`, as the script says. */
export class ScriptedListingsAhead implements ListingsAhead {
  /** Each call, in order: `take /a`, `skip /a/b`, `close`. */
  readonly calls: string[] = [];

  constructor(
    readonly root: string,
    private readonly list: (dir: string) => StatusEntry[],
    private readonly script: AheadScript = {},
  ) {}

  take(dir: string): StatusEntry[] | undefined {
    this.calls.push(`take ${dir}`);
    const code = this.script.failing?.get(dir);
    if (code !== undefined) throw Object.assign(new Error(`${code}: ${dir}`), { code });
    return this.script.unread?.has(dir) ? undefined : this.list(dir);
  }

  skip(dir: string): void {
    this.calls.push(`skip ${dir}`);
  }

  close(): void {
    this.calls.push('close');
  }
}

/** A port's `listWithStatus`, made from its other calls (for a port without one). */
export function listingOf(fs: FileSystemPort): (dir: string) => StatusEntry[] {
  return (dir) =>
    fs.list(dir).map(({ name }) => {
      const path = `${dir === '/' ? '' : dir}/${name}`;
      const stat = fs.lstat(path);
      const readable = stat.type === 'file' || stat.type === 'directory' ? fs.canRead(path, stat.type) : true;
      return { name, path, stat, code: undefined, readable };
    });
}
