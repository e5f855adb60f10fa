/**
 * The collapsed summary tree: what is kept of the walk once each directory is finalised.
 *
 * Folding rule (what a backup user restores). An unmodified *directory* holds no data of its own:
 * re-creating an intact, package-owned directory changes nothing. So intact directories never
 * keep a folder from being saved whole; unmodified *files* and reported entries do.
 * - A directory **folds into one save folder** (listed as `dir/`) when its own entry is save or
 *   unmodified, something in it (or itself) is save, and nothing below it is an unmodified file
 *   (or symlink, or other non-directory) or an excluded, unreadable or not-scanned entry. So a
 *   package-owned, intact `/usr/local` or `/home` that holds only new files is listed whole, and so
 *   is a new directory that holds new files and empty intact directories. Folding is recursive.
 * - An **empty directory** therefore folds into a save folder when its own entry is save (a
 *   restore must recreate it); an empty unmodified directory disappears (it is only counted),
 *   except the root, which stays as an empty unmodified folder.
 * - A directory folds into one **unmodified folder** when it and everything below it is unmodified.
 * - Anything else stays a **mixed** node: its save children are listed one by one, and a save
 *   directory that cannot fold is listed bare (no trailing slash: its own entry, not its contents).
 * - Excluded, unreadable and not-scanned entries never fold into anything: they stay in the tree
 *   and are reported. One exception: what a skip rule a backup tool can apply itself left out (a
 *   `__pycache__`, when the summary is told so: `foldsOver`) does not keep its folder from folding;
 *   it is still reported, and `--for TOOL` hands the rule to the tool as an exclude. A directory never reported by an entry of its own (an ancestor of a scan
 *   root) never folds either: what else it holds is unknown.
 * @module
 */
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { NameSample } from './name-sample.js';
import type { RuleMark } from '#backup/domain/rules/rule.js';
import type { Totals } from './totals.js';

interface NodeBase {
  /** Last path component (byte string); `/` for the root. */
  readonly name: string;
  /** Absolute byte-string path. */
  readonly path: string;
  /** Totals of the whole subtree, this node's own entry included. */
  readonly totals: Totals;
  /**
   * The rule that marked this node's own entry (rules/rule-engine.ts); what is below it follows
   * the same rule unless marked otherwise. A marked node never folds into its parent.
   */
  readonly rule?: RuleMark;
}

/** One entry standing alone: a file, symlink or other, or a directory that was not walked. */
export interface EntryNode extends NodeBase {
  /** Discriminant. */
  readonly shape: 'entry';
  /** File, directory, symlink or other. */
  readonly kind: EntryKind;
  /** The entry's class. */
  readonly class: EntryClass;
  /** Why it has that class. */
  readonly reason?: string;
  /** Apparent size (st_size), even when a hard link made it count once elsewhere. */
  readonly size: bigint;
  /** True when another path of the same file (device + inode) was counted first. */
  readonly repeatedLink: boolean;
}

/** A directory folded whole: everything below it is save (`save-folder`) or unmodified. */
export interface FolderNode extends NodeBase {
  /** Saved whole, or left whole as unmodified. */
  readonly shape: 'save-folder' | 'unmodified-folder';
  /** Always a directory. */
  readonly kind: 'directory';
  /** The class of the directory's own entry. */
  readonly class: EntryClass;
  /** Why it has that class. */
  readonly reason?: string;
  /** A few names of its direct children, and how many there were. */
  readonly contents: NameSample;
}

/** A directory whose contents differ: kept with its children. */
export interface MixedNode extends NodeBase {
  /** Discriminant. */
  readonly shape: 'mixed';
  /** Always a directory. */
  readonly kind: 'directory';
  /** The class of the directory's own entry; undefined when it was never reported itself. */
  readonly class: EntryClass | undefined;
  /** Why it has that class. */
  readonly reason?: string;
  /** Children other than the unmodified files counted in `unmodified`, sorted by name. */
  readonly children: readonly SummaryNode[];
  /** Unmodified files and empty unmodified directories directly inside, summarised. */
  readonly unmodified: {
    /** A few of their names. */
    readonly sample: NameSample;
    /** Their bytes. */
    readonly size: bigint;
  };
}

/** A node of the collapsed tree, told apart by `shape`. */
export type SummaryNode = EntryNode | FolderNode | MixedNode;

/** True when the node is saved whole: a save folder or a single save entry. */
export function isSavedWhole(node: SummaryNode): boolean {
  return node.shape === 'save-folder' || (node.shape === 'entry' && (node.class === 'new' || node.class === 'modified'));
}

/**
 * Calls `visit` on `node` and every node below it, parents first, children in order. An explicit
 * stack, not recursion: a tree 10,000 folders deep stays off the call stack.
 */
export function forEachNode(node: SummaryNode, visit: (node: SummaryNode, depth: number) => void, depth = 0): void {
  const stack: Array<readonly [SummaryNode, number]> = [[node, depth]];
  while (stack.length > 0) {
    const [at, atDepth] = stack.pop()!;
    visit(at, atDepth);
    if (at.shape === 'mixed') for (let i = at.children.length - 1; i >= 0; i--) stack.push([at.children[i]!, atDepth + 1]);
  }
}
