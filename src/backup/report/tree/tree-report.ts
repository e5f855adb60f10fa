/**
 * The tree report, for people. A headline with the totals, the largest things to save, then the
 * collapsed tree: per directory `save 12M/40M=30%` (save bytes of save + unmodified bytes), or
 * `(all)` for a folder saved whole, `(none)` for one left whole, `(empty)` for an empty folder to
 * recreate; with counts and a few names of what was folded. Children are ordered largest save
 * first, so the big items stand out. Names are escaped as in the text list (path-escape.ts).
 * @module
 */
import type { EntryClass } from '#backup/domain/entry/entry-class.js';
import type { NameSample } from '#backup/domain/summary/name-sample.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import { markedNodes } from '#backup/domain/rules/listed-marks.js';
import { describeMark } from '#backup/domain/rules/rule.js';
import { formatSize, percentOf } from '#backup/report/size-format.js';
import type { SummaryResult } from '#backup/domain/summary/summary-result.js';
import { forEachNode, isSavedWhole, type SummaryNode } from '#backup/domain/summary/summary-node.js';
import { entryClasses, entryCount, isSaveClass, type Totals } from '#backup/domain/summary/totals.js';
import { byPath } from '#backup/domain/paths/byte-order.js';

/** Limits of the tree report; each has a default. */
export interface TreeReportOptions {
  /** Deepest level of the tree shown (the root is level 0); default: all. */
  readonly maxDepth?: number;
  /** How many of the largest things to save are listed up front (default 10; 0 for none). */
  readonly largest?: number;
  /** How many folded names are shown per folder (default 3). */
  readonly names?: number;
  /** Longest folded name shown whole, in characters; longer ones are cut in the middle (default 32). */
  readonly nameWidth?: number;
}

const classLabels: Readonly<Record<EntryClass, string>> = {
  new: 'new',
  modified: 'modified',
  unmodified: 'unmodified',
  excluded: 'excluded',
  unreadable: 'unreadable',
  'not-scanned': 'not scanned',
};

/** The report as text (a Unicode string; write it as UTF-8). */
export function treeReport(result: SummaryResult, options: TreeReportOptions = {}): string {
  const settings = { maxDepth: options.maxDepth ?? Infinity, names: options.names ?? 3, nameWidth: options.nameWidth ?? 32 };
  const lines = [headline(result.totals, result.reported.length)];
  if (result.root === undefined) return `${lines[0]}\n`;
  const largest = largestSaves(result.root, options.largest ?? 10);
  if (largest.length > 0) {
    lines.push('largest to save:');
    const width = Math.max(...largest.map((node) => formatSize(node.totals.saveSize).length));
    for (const node of largest) lines.push(`  ${formatSize(node.totals.saveSize).padStart(width)}  ${displayPath(node)}`);
  }
  lines.push('tree:');
  renderNode(result.root, 0, lines, settings);
  if (result.reported.length > 0) {
    lines.push('reported:');
    for (const entry of result.reported) {
      const rule = entry.rule === undefined ? '' : `  ${describeMark(entry.rule)}`;
      lines.push(`  ${classLabels[entry.class]}  ${escapePath(entry.path)}${entry.reason === undefined ? '' : `  ${entry.reason}`}${rule}`);
    }
  }
  // Skipped and dumped entries are listed above as reported; here only what is saved with instructions.
  const marked = markedNodes(result.root).filter((node) => isSavedWhole(node) || (node.shape === 'mixed' && isSaveClass(node.class)));
  if (marked.length > 0) {
    lines.push('to save as rules say:');
    for (const node of marked) lines.push(`  ${displayPath(node)}  ${describeMark(node.rule!)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `save 12M of 40M (30%): 3 new, 1 modified, 200 unmodified; 2 reported`. */
function headline(totals: Totals, reported: number): string {
  const whole = totals.saveSize + totals.unmodifiedSize;
  const counts = entryClasses.filter((c) => totals.counts[c] > 0).map((c) => `${totals.counts[c]} ${classLabels[c]}`);
  const end = reported > 0 ? `; ${reported} reported below` : '';
  return `save ${formatSize(totals.saveSize)} of ${formatSize(whole)} (${percentOf(totals.saveSize, whole)}%): ${counts.join(', ') || 'nothing scanned'}${end}`;
}

/** The `count` nodes saved whole with the most bytes, largest first (ties by path). */
function largestSaves(root: SummaryNode, count: number): SummaryNode[] {
  const saved: SummaryNode[] = [];
  forEachNode(root, (node) => {
    if (isSavedWhole(node) && node.totals.saveSize > 0n) saved.push(node);
  });
  return saved.sort(bySaveSizeThenPath).slice(0, count);
}

function bySaveSizeThenPath(a: SummaryNode, b: SummaryNode): number {
  if (a.totals.saveSize !== b.totals.saveSize) return a.totals.saveSize > b.totals.saveSize ? -1 : 1;
  return byPath(a, b);
}

function displayPath(node: SummaryNode): string {
  return escapePath(node.path) + (node.kind === 'directory' && node.path !== '/' ? '/' : '');
}

function displayName(node: SummaryNode): string {
  return escapePath(node.name) + (node.kind === 'directory' && node.path !== '/' ? '/' : '');
}

interface Settings {
  readonly maxDepth: number;
  readonly names: number;
  readonly nameWidth: number;
}

/** Levels past which the tree is indented no further; deeper lines say their level instead. */
const MAX_INDENT_LEVELS = 32;

function indentOf(depth: number): string {
  const indent = '  '.repeat(Math.min(depth, MAX_INDENT_LEVELS));
  return depth > MAX_INDENT_LEVELS ? `${indent}[level ${depth}] ` : indent;
}

/**
 * The tree from `root` down, each node before its children (largest save first) and its
 * unmodified summary line after them. An explicit stack, not recursion, and indentation that
 * stops growing: a tree 10,000 folders deep costs neither the call stack nor depth² spaces.
 */
function renderNode(root: SummaryNode, rootDepth: number, lines: string[], settings: Settings): void {
  const stack: Array<{ readonly node: SummaryNode; readonly depth: number } | string> = [{ node: root, depth: rootDepth }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if (typeof task === 'string') {
      lines.push(task);
      continue;
    }
    const { node, depth } = task;
    const indent = indentOf(depth);
    const rule = node.rule === undefined ? '' : `  [${describeMark(node.rule)}]`;
    lines.push(`${indent}${displayName(node)}  ${describe(node, settings)}${rule}`);
    if (node.shape !== 'mixed') continue;
    if (depth >= settings.maxDepth) {
      const hidden = entryCount(node.totals) - (node.class === undefined ? 0 : 1);
      lines.push(`${indentOf(depth + 1)}... ${hidden} entries below, not shown`);
      continue;
    }
    const { sample, size } = node.unmodified;
    if (sample.total > 0) {
      stack.push(`${indentOf(depth + 1)}(unmodified)  ${formatSize(size)} in ${sample.total} ${sample.total === 1 ? 'entry' : 'entries'}: ${names(sample, settings)}`);
    }
    const children = [...node.children].sort(bySaveSizeThenPath);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, depth: depth + 1 });
  }
}

function describe(node: SummaryNode, settings: Settings): string {
  const { totals } = node;
  const reason = node.reason === undefined ? '' : ` (${node.reason})`;
  switch (node.shape) {
    case 'entry':
      if (isSaveClass(node.class)) return `save ${formatSize(node.size)}  ${node.class}${reason}${node.repeatedLink ? ', hard link counted before' : ''}`;
      return `${classLabels[node.class]}${reason}`;
    case 'save-folder':
      if (node.contents.total === 0) return `(empty)  ${node.class}${reason}`;
      return `save ${formatSize(totals.saveSize)} (${allBut(totals)})  ${counts(totals)}: ${names(node.contents, settings)}`;
    case 'unmodified-folder':
      return `unmodified ${formatSize(totals.unmodifiedSize)} (none)  ${counts(totals)}: ${names(node.contents, settings)}`;
    case 'mixed': {
      const whole = totals.saveSize + totals.unmodifiedSize;
      const own = node.class === undefined || node.class === 'unmodified' ? '' : `  itself ${classLabels[node.class]}${reason}`;
      return `save ${formatSize(totals.saveSize)}/${formatSize(whole)}=${percentOf(totals.saveSize, whole)}%  ${counts(totals)}${own}`;
    }
  }
}

/** `all`, or `all but 3 skipped` when skip rules left entries out inside a folder saved whole (collapse.ts). */
function allBut(totals: Totals): string {
  return totals.counts.excluded === 0 ? 'all' : `all but ${totals.counts.excluded} skipped`;
}

/** `12 files, 3 dirs` below a directory (its own entry not counted). */
function counts(totals: Totals): string {
  const dirs = totals.directories - 1;
  const files = entryCount(totals) - totals.directories;
  return `${files} ${files === 1 ? 'file' : 'files'}, ${dirs} ${dirs === 1 ? 'dir' : 'dirs'}`;
}

/** A few names, each cut to the name width, then how many more. */
function names(sample: NameSample, settings: Settings): string {
  const shown = sample.names.slice(0, settings.names).map((name) => shorten(escapePath(name), settings.nameWidth));
  const more = sample.total - shown.length;
  return more > 0 ? `${shown.join(', ')}, +${more} more` : shown.join(', ');
}

/** `text` cut in the middle to at most `width` characters, marked with `...`. */
export function shorten(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const keep = Math.max(width - 3, 2);
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}...${chars.slice(chars.length - (keep - head)).join('')}`;
}
