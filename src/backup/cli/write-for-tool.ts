/**
 * `--for TOOL`: the list in the tool's own form (report/for-tools/), with the tool's second file
 * (`--excludes-to`, `--folders-to`) written before anything is printed.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeUtf8 } from '#backup/domain/paths/utf8.js';
import type { Rule } from '#backup/domain/rules/rule.js';
import type { SummaryNode } from '#backup/domain/summary/summary-node.js';
import { forTool, type ToolName } from '#backup/report/for-tools/for-tool.js';
import { ToolFormatError } from '#backup/report/for-tools/tool-items.js';

/** The list cannot be handed to the tool (a name its format cannot hold, a file not written). */
export class ForToolError extends Error {
  /** Names the error in messages and stack traces. */
  override readonly name = 'ForToolError';
}

/** What `--for` needs of the run. */
export interface ForToolRun {
  /** Which tool. */
  readonly tool: ToolName;
  /** `--excludes-to` or `--folders-to`. */
  readonly secondFile: string | undefined;
  /** `--root`, as given. */
  readonly root: string;
  /** The printed list. */
  readonly list: readonly string[];
  /** Folders the list shows bare that the tree does not. */
  readonly bare: ReadonlySet<string>;
  /** The summary tree. */
  readonly tree: SummaryNode | undefined;
  /** The rules in force. */
  readonly rules: readonly Rule[];
}

/** Writes the second file; returns what goes to stdout, as bytes. Throws {@link ForToolError}. */
export function writeForTool(run: ForToolRun): Buffer {
  let output;
  try {
    output = forTool(run.tool, { list: run.list, bare: run.bare, root: run.tree, rules: run.rules, hostRoot: encodeUtf8(resolve(run.root)) });
  } catch (error) {
    if (error instanceof ToolFormatError) throw new ForToolError(`--for ${run.tool}: ${error.message}`);
    throw error;
  }
  if (output.second !== undefined && run.secondFile !== undefined) {
    try {
      writeFileSync(run.secondFile, Buffer.from(output.second, 'latin1'));
    } catch (error) {
      throw new ForToolError(`cannot write ${run.secondFile}: ${(error as Error).message}`);
    }
  }
  return Buffer.from(output.stdout, 'latin1');
}
