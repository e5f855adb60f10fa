import { escapePath } from '#backup/domain/paths/path-escape.js';

/** What the progress line writes to: a terminal's stream. */
export interface ProgressStream {
  /** Write text as is (control sequences included). */
  write(text: string): unknown;
  /** The terminal's width, when known. */
  readonly columns?: number;
}

/**
 * A one-line progress display on a terminal: redrawn at most every `intervalMs`, cut to the
 * terminal's width, erased at the end. Only ever used when stderr is a TTY (no flood in logs).
 */
export class ProgressLine {
  private last = -Infinity;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 100,
  ) {}

  /** Show how many entries the walk has seen and where it is (skipped if drawn too recently). */
  update(entries: number, path: string): void {
    const t = this.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    const width = Math.max(20, (this.stream.columns || 80) - 1); // a pty may report 0 columns
    let text = `${entries} entries  ${escapePath(path)}`;
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    this.stream.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  /** Erase the line, so what is printed next starts clean. */
  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
