/**
 * `--for TOOL`: the list in the form a backup tool reads, so each recipe is one command
 * (docs/what-to-backup.md). Each tool's format is in its own file; this picks one.
 * @module
 */
import type { Rule } from '#backup/domain/rules/rule.js';
import type { SummaryNode } from '#backup/domain/summary/summary-node.js';
import { borgPatterns } from './borg.js';
import { resticExcludes, resticFiles } from './restic.js';
import { rsyncFilter } from './rsync.js';
import { tarLists } from './tar.js';
import { toolExclusions } from './tool-exclusions.js';
import { toolItems } from './tool-items.js';

export { toolNames, type ToolName } from './tool-name.js';
import type { ToolName } from './tool-name.js';

/** What the tool is handed: the printed list and what it came from. */
export interface ToolInput {
  /** The printed list (flat-list.ts), after `--already-covered`. */
  readonly list: readonly string[];
  /** The summary tree the list was made from, to tell bare folders from files. */
  readonly root: SummaryNode | undefined;
  /** Folders listed bare that the tree does not show (the list was opened up around skipped paths). */
  readonly bare?: ReadonlySet<string>;
  /** The rules in force, for the tool's own excludes. */
  readonly rules: readonly Rule[];
  /** The scanned root on this host, an absolute byte string (restic's excludes name it). */
  readonly hostRoot: string;
}

/** What to write, as byte strings: stdout, and the second file the tool reads, if it needs one. */
export interface ToolOutput {
  /** For stdout. */
  readonly stdout: string;
  /** For the file of `--excludes-to` (restic) or `--folders-to` (tar). */
  readonly second?: string;
}

/** The list for `tool`; throws ToolFormatError (tool-items.ts) when a name cannot be said. */
export function forTool(tool: ToolName, input: ToolInput): ToolOutput {
  const items = toolItems(input.list, input.root, input.bare);
  switch (tool) {
    case 'restic':
      return { stdout: resticFiles(items), second: resticExcludes(items, toolExclusions(input.rules, items), input.hostRoot) };
    case 'tar': {
      const lists = tarLists(items);
      return { stdout: lists.entries, second: lists.folders };
    }
    case 'rsync':
      return { stdout: rsyncFilter(items, toolExclusions(input.rules, items)) };
    case 'borg':
      return { stdout: borgPatterns(items, toolExclusions(input.rules, items)) };
  }
}
