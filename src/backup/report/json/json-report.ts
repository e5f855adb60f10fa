/**
 * The JSON form of a summary, version 1 — what `--json` prints and what an HTML treemap renders.
 *
 * Shape (`SummaryJson`): `{ format: "what-to-backup-summary", version: 1, totals, list, tree,
 * reported }`.
 * - Sizes are decimal strings (they can pass 2^53); counts are numbers.
 * - Paths and names are text when their bytes are well-formed UTF-8. Otherwise the text field holds
 *   the escaped form (see path-escape.ts) and a sibling field ending in `Base64` holds the exact
 *   bytes: use `pathBase64` / `nameBase64` when present. Sample names are for display only.
 * - `list` is the flat list (`folder: true` for a folder saved whole); `tree` is the collapsed tree
 *   (null when nothing was scanned) with each node's class, reason and subtree totals; `reported`
 *   lists every excluded, unreadable and not-scanned entry with its class and reason.
 * - `rule` (optional, on list items, tree nodes and reported entries): what a rule said about the
 *   entry (rules/rule.ts `RuleMark`); a list item gets the mark of its nearest marked folder too.
 * @module
 */
import type { EntryClass, EntryKind } from '#backup/domain/entry/entry-class.js';
import type { NameSample } from '#backup/domain/summary/name-sample.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import type { SummaryResult } from '#backup/domain/summary/summary-result.js';
import type { SummaryNode } from '#backup/domain/summary/summary-node.js';
import type { Totals } from '#backup/domain/summary/totals.js';
import { listedMarks } from '#backup/domain/rules/listed-marks.js';
import type { RuleMark } from '#backup/domain/rules/rule.js';
import { decodeUtf8 } from '#backup/domain/paths/utf8.js';
import { flatList } from '#backup/report/list/flat-list.js';

/** {@link Totals} in JSON: sizes as decimal strings. */
export interface TotalsJson {
  /** Bytes of new and modified entries. */
  readonly saveSize: string;
  /** Bytes of unmodified entries. */
  readonly unmodifiedSize: string;
  /** Bytes of excluded, unreadable and not-scanned entries. */
  readonly otherSize: string;
  /** Entries of each class. */
  readonly counts: Readonly<Record<EntryClass, number>>;
  /** Directories in the subtree. */
  readonly directories: number;
}

/** A {@link NameSample} in JSON. */
export interface SampleJson {
  /** A few names, for display. */
  readonly names: readonly string[];
  /** How many names there were in all. */
  readonly total: number;
}

/** One node of the collapsed tree. */
export interface NodeJson {
  /** Last path component (escaped when not UTF-8). */
  readonly name: string;
  /** The name's exact bytes, when they are not UTF-8. */
  readonly nameBase64?: string;
  /** Absolute path (escaped when not UTF-8). */
  readonly path: string;
  /** The path's exact bytes, when they are not UTF-8. */
  readonly pathBase64?: string;
  /** `entry`, `save-folder`, `unmodified-folder` or `mixed` (see summary-node.ts). */
  readonly shape: SummaryNode['shape'];
  /** File, directory, symlink or other. */
  readonly kind: EntryKind;
  /** The node's own entry's class; null for a directory that was never reported itself. */
  readonly class: EntryClass | null;
  /** Why it has its class (verify flags, an error code). */
  readonly reason?: string;
  /** The rule that marked this node (rules/rule.ts); what is below follows it unless marked. */
  readonly rule?: RuleMark;
  /** Totals of the whole subtree. */
  readonly totals: TotalsJson;
  /** Entries: apparent size, and whether another link of the same file was counted first. */
  readonly size?: string;
  /** Entries: another link of the same file was counted first. */
  readonly repeatedLink?: boolean;
  /** Folded folders: a few names of their direct children. */
  readonly contents?: SampleJson;
  /** Mixed directories: children, and the unmodified files summarised beside them. */
  readonly children?: readonly NodeJson[];
  /** Mixed directories: the unmodified files summarised beside the children. */
  readonly unmodified?: SampleJson & {
    /** Their bytes, as a decimal string. */
    readonly size: string;
  };
}

/** One line of the flat list. */
export interface ListedPathJson {
  /** The path, without the trailing slash of a folder (escaped when not UTF-8). */
  readonly path: string;
  /** The path's exact bytes, when they are not UTF-8. */
  readonly pathBase64?: string;
  /** A folder to save whole (printed with a trailing `/`). */
  readonly folder: boolean;
  /** The rule in force for this path: its own, or its nearest marked folder's. */
  readonly rule?: RuleMark;
}

/** An excluded, unreadable or not-scanned entry. */
export interface ReportedJson {
  /** Its path (escaped when not UTF-8). */
  readonly path: string;
  /** The path's exact bytes, when they are not UTF-8. */
  readonly pathBase64?: string;
  /** File, directory, symlink or other. */
  readonly kind: EntryKind;
  /** Excluded, unreadable or not-scanned. */
  readonly class: EntryClass;
  /** Why (an error code, the matching exclusion). */
  readonly reason?: string;
  /** The rule that marked it. */
  readonly rule?: RuleMark;
}

/** The whole JSON document, version 1. */
export interface SummaryJson {
  /** Always `what-to-backup-summary`. */
  readonly format: 'what-to-backup-summary';
  /** The format version. */
  readonly version: 1;
  /** Totals of the whole scan. */
  readonly totals: TotalsJson;
  /** The flat list, byte-sorted. */
  readonly list: readonly ListedPathJson[];
  /** The collapsed tree; null when nothing was scanned. */
  readonly tree: NodeJson | null;
  /** Every excluded, unreadable and not-scanned entry, by path. */
  readonly reported: readonly ReportedJson[];
}

/** One line of a flat list (a folder ends in `/`) as JSON, with the rule in force for it. */
export function listedPathJson(listed: string, mark: RuleMark | undefined): ListedPathJson {
  const folder = listed.endsWith('/');
  const path = folder && listed !== '/' ? listed.slice(0, -1) : listed;
  return { ...bytesField('path', path), folder, ...(mark === undefined ? {} : { rule: mark }) };
}

/** The JSON form of `result`; write it with json-writer.ts (any depth), as UTF-8. */
export function summaryJson(result: SummaryResult): SummaryJson {
  const marks = listedMarks(result.root);
  return {
    format: 'what-to-backup-summary',
    version: 1,
    totals: totalsJson(result.totals),
    list: flatList(result.root).map((listed) => listedPathJson(listed, marks.get(listed))),
    tree: result.root === undefined ? null : nodeJson(result.root),
    reported: result.reported.map((entry) => ({
      ...bytesField('path', entry.path),
      kind: entry.kind,
      class: entry.class,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      ...(entry.rule === undefined ? {} : { rule: entry.rule }),
    })),
  };
}

/** `{ key: text }` for well-formed UTF-8; `{ key: escaped, keyBase64: exact bytes }` otherwise. */
export function bytesField<K extends string>(key: K, bytes: string): BytesField<K> {
  const text = decodeUtf8(bytes);
  const field = text !== undefined ? { [key]: text } : { [key]: escapePath(bytes), [`${key}Base64`]: btoa(bytes) };
  return field as BytesField<K>;
}

/** A text field `K`, plus `KBase64` with the exact bytes when they are not UTF-8. */
export type BytesField<K extends string> = Record<K, string> & Partial<Record<`${K}Base64`, string>>;

function totalsJson(totals: Totals): TotalsJson {
  return {
    saveSize: totals.saveSize.toString(),
    unmodifiedSize: totals.unmodifiedSize.toString(),
    otherSize: totals.otherSize.toString(),
    counts: { ...totals.counts },
    directories: totals.directories,
  };
}

function sampleJson(sample: NameSample): SampleJson {
  return { names: sample.names.map((name) => decodeUtf8(name) ?? escapePath(name)), total: sample.total };
}

/**
 * The tree's JSON, children before parents with an explicit stack: a tree 10,000 folders deep
 * stays off the call stack.
 */
function nodeJson(root: SummaryNode): NodeJson {
  const built = new Map<SummaryNode, NodeJson>();
  const stack: Array<{ readonly node: SummaryNode; expanded: boolean }> = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.node.shape === 'mixed' && !top.expanded) {
      top.expanded = true;
      for (const child of top.node.children) stack.push({ node: child, expanded: false });
      continue;
    }
    stack.pop();
    const children = top.node.shape === 'mixed' ? top.node.children.map((child) => built.get(child)!) : [];
    if (top.node.shape === 'mixed') for (const child of top.node.children) built.delete(child);
    built.set(top.node, oneNodeJson(top.node, children));
  }
  return built.get(root)!;
}

/** One node, its children's JSON given. */
function oneNodeJson(node: SummaryNode, children: NodeJson[]): NodeJson {
  const common = {
    ...bytesField('name', node.name),
    ...bytesField('path', node.path),
    shape: node.shape,
    kind: node.kind,
    class: node.class ?? null,
    ...(node.reason === undefined ? {} : { reason: node.reason }),
    ...(node.rule === undefined ? {} : { rule: node.rule }),
    totals: totalsJson(node.totals),
  };
  switch (node.shape) {
    case 'entry':
      return { ...common, size: node.size.toString(), repeatedLink: node.repeatedLink };
    case 'save-folder':
    case 'unmodified-folder':
      return { ...common, contents: sampleJson(node.contents) };
    case 'mixed':
      return {
        ...common,
        children,
        unmodified: { ...sampleJson(node.unmodified.sample), size: node.unmodified.size.toString() },
      };
  }
}
