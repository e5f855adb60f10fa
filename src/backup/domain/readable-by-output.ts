/** How `--readable-by` findings are shown: a section of the tree report, and a JSON member. */
import { bytesField } from './json-report.js';
import { escapePath } from './path-escape.js';
import type { ReadableByReport } from './readable-by.js';

/** The report section (Unicode text, escaped paths), or a line saying all is readable. */
export function readableByText(report: ReadableByReport): string {
  if (report.problems.length === 0) return `readable by ${report.user}: everything to back up\n`;
  const lines = [`not readable by ${report.user} (a backup run as ${report.user} would miss these):`];
  for (const p of report.problems) {
    const hidden = p.hidden > 0 ? `, hiding ${p.hidden} ${p.hidden === 1 ? 'entry' : 'entries'} to back up` : '';
    lines.push(`  ${p.problem}  ${escapePath(p.path)}  (${p.reason}${hidden})`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `readableBy` member of the JSON output: USER and what they could not read. */
export interface ReadableByJson {
  readonly user: string;
  readonly problems: ReadonlyArray<{
    readonly path: string;
    readonly pathBase64?: string;
    readonly problem: string;
    readonly reason: string;
    readonly hidden: number;
  }>;
}

/** The `readableBy` member of the JSON output (paths as in json-report.ts). */
export function readableByJson(report: ReadableByReport): ReadableByJson {
  return {
    user: report.user,
    problems: report.problems.map((p) => ({ ...bytesField('path', p.path), problem: p.problem, reason: p.reason, hidden: p.hidden })),
  };
}
