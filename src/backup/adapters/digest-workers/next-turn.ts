/**
 * One call of a function at the next turn of the event loop, however often it is asked for
 * before then: the digesters send a partial batch once their caller really waits, so a batch
 * never stalls half full.
 * @module
 */

/** Runs `run` once at the next turn of the event loop after {@link NextTurn.ask}. */
export class NextTurn {
  private scheduled = false;

  constructor(private readonly run: () => void) {}

  /** Asks for one run at the next turn; a run already asked for covers this one. */
  ask(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }
}
