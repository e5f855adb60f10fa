/**
 * The summary's JSON form (`what-to-backup --json`, version 1) as the report's input tree, so
 * the page and any other tool read the same data. Names go back to exact bytes: the JSON holds
 * them as text, with the bytes in base64 when they are not UTF-8.
 */
import type { NodeJson, SampleJson, SummaryJson } from '#backup/report/json/json-report.js';
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';
import { formatCount } from './number-text.js';
import type { SpaceClass, SpaceNode } from './space-tree.js';

/** The summary's tree; an empty root when nothing was scanned. */
export function spaceTreeFromJson(summary: SummaryJson): SpaceNode {
  if (summary.tree === null) return { name: '/', path: '/', saveSize: 0, unmodifiedSize: 0, class: 'mixed', children: [] };
  return fromNode(summary.tree);
}

function bytes(text: string, base64: string | undefined): string {
  if (base64 !== undefined) return atob(base64);
  // Most paths are ASCII, whose bytes are the text itself.
  return /^[\x00-\x7f]*$/.test(text) ? text : encodeUtf8(text);
}

/** A folded folder's colour: what most of its entries are (its own directory entry included). */
function classOf(node: NodeJson): SpaceClass {
  switch (node.shape) {
    case 'mixed':
      return 'mixed';
    case 'unmodified-folder':
      return 'unmodified';
    case 'save-folder':
      return node.totals.counts.modified > node.totals.counts.new ? 'modified' : 'new';
    case 'entry':
      return node.class ?? 'mixed';
  }
}

function sampleText(sample: SampleJson): string | undefined {
  if (sample.total === 0) return undefined;
  const more = sample.total - sample.names.length;
  return more > 0 ? `${sample.names.join(', ')} and ${formatCount(more)} more` : sample.names.join(', ');
}

/**
 * The space tree, children before parents with an explicit stack: a tree 10,000 folders deep
 * stays off the call stack.
 */
function fromNode(root: NodeJson): SpaceNode {
  const built = new Map<NodeJson, SpaceNode>();
  const stack: Array<{ readonly node: NodeJson; expanded: boolean }> = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.node.children && !top.expanded) {
      top.expanded = true;
      for (const child of top.node.children) stack.push({ node: child, expanded: false });
      continue;
    }
    stack.pop();
    const children = top.node.children?.map((child) => built.get(child)!) ?? [];
    top.node.children?.forEach((child) => built.delete(child));
    built.set(top.node, oneSpaceNode(top.node, children));
  }
  return built.get(root)!;
}

/** One node of the space tree, its children's given. */
function oneSpaceNode(node: NodeJson, children: SpaceNode[]): SpaceNode {
  const path = bytes(node.path, node.pathBase64);
  const contents = node.contents ? sampleText(node.contents) : undefined;
  // A rule's note, once the JSON carries one.
  const note = (node as NodeJson & { note?: string }).note;
  const unmodified = node.unmodified;
  if (unmodified && unmodified.total > 0) {
    // The unmodified files beside the children are summarised in the JSON; they get one tile.
    children.push({
      name: `${formatCount(unmodified.total)} unmodified`,
      path,
      saveSize: 0,
      unmodifiedSize: unmodified.size,
      class: 'unmodified',
      counts: { unmodified: unmodified.total },
      ...(sampleText(unmodified) ? { contents: sampleText(unmodified)! } : {}),
    });
  }
  return {
    name: node.path === '/' ? '/' : bytes(node.name, node.nameBase64),
    path,
    saveSize: node.totals.saveSize,
    unmodifiedSize: node.totals.unmodifiedSize,
    class: classOf(node),
    counts: node.totals.counts,
    ...(note ? { note } : {}),
    ...(node.reason === undefined ? {} : { reason: node.reason }),
    ...(contents ? { contents } : {}),
    ...(node.children ? { children } : {}),
  };
}
