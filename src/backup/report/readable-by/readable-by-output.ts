/** How `--readable-by` findings are shown: a section of the tree report, and a JSON member. */
import { bytesField } from '#backup/report/json/json-report.js';
import { escapePath } from '#backup/domain/paths/path-escape.js';
import type { ReadableByReport } from '#backup/domain/readable-by/readable-by.js';

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
  /** The user checked. */
  readonly user: string;
  /** What they could not read, sorted by path. */
  readonly problems: ReadonlyArray<{
    /** The path as text (escaped when it is not UTF-8). */
    readonly path: string;
    /** The path's exact bytes, present only when they are not UTF-8. */
    readonly pathBase64?: string;
    /** `cannot read` or `cannot enter`. */
    readonly problem: string;
    /** Its owner and mode, e.g. `uid 0 gid 0 mode 0700`, or `not found`. */
    readonly reason: string;
    /** How many entries to back up lie below it, out of reach. */
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
