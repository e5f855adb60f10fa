/**
 * The rule in force for each listed path: its node's own mark, or else the mark of its nearest
 * marked ancestor in the collapsed tree (what is inside a marked folder follows its rule).
 */
import { folderPath } from '#backup/report/list/flat-list.js';
import { forEachNode, type SummaryNode } from '#backup/domain/summary/summary-node.js';
import type { RuleMark } from './rule.js';

/** Listed path (as in the flat list) → the mark in force for it; paths without one are absent. */
export function listedMarks(root: SummaryNode | undefined): Map<string, RuleMark> {
  const marks = new Map<string, RuleMark>();
  // An explicit stack, not recursion: the tree may be thousands of folders deep.
  const stack: Array<readonly [SummaryNode, RuleMark | undefined]> = root === undefined ? [] : [[root, undefined]];
  while (stack.length > 0) {
    const [node, inherited] = stack.pop()!;
    const mark = node.rule ?? inherited;
    if (mark !== undefined) marks.set(node.shape === 'save-folder' ? folderPath(node.path) : node.path, mark);
    if (node.shape === 'mixed') for (const child of node.children) stack.push([child, mark]);
  }
  return marks;
}

/** Every node a rule marked, parents first. */
export function markedNodes(root: SummaryNode | undefined): SummaryNode[] {
  const found: SummaryNode[] = [];
  if (root !== undefined) forEachNode(root, (node) => node.rule !== undefined && found.push(node));
  return found;
}
