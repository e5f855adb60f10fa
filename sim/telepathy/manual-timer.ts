/** A {@link Timer} that runs nothing until a test lets time pass: deterministic, and instant. */
import type { Cancel, Timer } from '#telepathy/domain/clock/timer.port.js';

interface Task {
  readonly due: number;
  readonly seq: number;
  readonly run: () => void;
}

export class ManualTimer implements Timer {
  private elapsed = 0;
  private seq = 0;
  private tasks: Task[] = [];

  after(ms: number, run: () => void): Cancel {
    const task = { due: this.elapsed + Math.max(0, ms), seq: this.seq++, run };
    this.tasks.push(task);
    return () => {
      this.tasks = this.tasks.filter((t) => t !== task);
    };
  }

  /** How many tasks are waiting. */
  get waiting(): number {
    return this.tasks.length;
  }

  /** Milliseconds until the next task falls due (0 when one is due; Infinity when none waits). */
  nextIn(): number {
    return Math.max(0, Math.min(...this.tasks.map((t) => t.due)) - this.elapsed);
  }

  /** Let `ms` pass, running what falls due in due order (ties in the order given). */
  advance(ms: number): void {
    const until = this.elapsed + ms;
    for (let next = this.nextDue(until); next; next = this.nextDue(until)) {
      this.tasks = this.tasks.filter((t) => t !== next);
      this.elapsed = Math.max(this.elapsed, next.due);
      next.run();
    }
    this.elapsed = until;
  }

  /** Let time pass until nothing is waiting (tasks that schedule more tasks included). */
  runAll(): void {
    while (this.tasks.length > 0) this.advance(this.nextIn());
  }

  private nextDue(until: number): Task | undefined {
    return this.tasks.filter((t) => t.due <= until).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
  }
}
