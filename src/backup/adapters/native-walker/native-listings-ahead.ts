/**
 * The native walker's tree reader (tree-reader.c) as the file system port's {@link ListingsAhead}:
 * a thread lists the tree in the walk's order, and the walk takes each listing, as a rule ready,
 * in a call that asks no other thread for anything.
 * @module
 */
import type { AheadRules, ListingsAhead, StatusEntry } from '#backup/domain/ports/file-system.port.js';
import { folderPrefix, parseListing, type NativeWalker, type TreeHandle } from './native-walker.js';

/** The addon with its tree reader. */
type TreeAddon = Required<Pick<NativeWalker, 'readTree' | 'treeTake' | 'treeSkip' | 'treeClose'>>;

/** Listings read ahead by the addon's thread. */
export class NativeListingsAhead implements ListingsAhead {
  private constructor(
    private readonly addon: TreeAddon,
    private readonly tree: TreeHandle,
    readonly root: string,
  ) {}

  /**
   * Starts reading at `root` (a scanned-system path) under `host` (the scanned system's folder,
   * a byte string without the trailing slash); undefined when the addon has no tree reader or the
   * thread could not start.
   */
  static start(addon: NativeWalker, host: string, root: string, rules: AheadRules, privileged: boolean): NativeListingsAhead | undefined {
    if (!addon.readTree || !addon.treeTake || !addon.treeSkip || !addon.treeClose) return undefined;
    if ((host + root).includes('\0')) return undefined; // the kernel would read a path cut at it
    const mounts = Buffer.from([...rules.mounts].map((m) => `${m}\0`).join(''), 'latin1');
    const tree = addon.readTree(Buffer.from(host, 'latin1'), Buffer.from(root, 'latin1'), privileged, rules.oneFileSystem, mounts);
    return typeof tree === 'number' ? undefined : new NativeListingsAhead(addon as TreeAddon, tree, root);
  }

  take(dir: string): StatusEntry[] | undefined {
    const answer = this.addon.treeTake(this.tree, Buffer.from(dir, 'latin1'));
    // The reader put the folder's path and a slash before each name.
    return answer === undefined ? undefined : parseListing(answer, dir, folderPrefix(dir));
  }

  skip(dir: string): void {
    this.addon.treeSkip(this.tree, Buffer.from(dir, 'latin1'));
  }

  close(): void {
    this.addon.treeClose(this.tree);
  }
}
