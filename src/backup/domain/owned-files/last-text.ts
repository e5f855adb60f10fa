import { spells } from './byte-store.js';

/**
 * The id of a byte string, remembering the last one asked for: runs of records share folders and
 * owners. `find` gives the id of bytes not the last ones; `values` holds the text of each id.
 */
export class LastText {
  private text: string | undefined;
  private id = 0;

  constructor(
    private readonly find: (from: Buffer, start: number, end: number) => number,
    private readonly values: readonly string[],
  ) {}

  /** The id of the bytes of `from` between `start` and `end`. */
  idOf(from: Buffer, start: number, end: number): number {
    if (this.text === undefined || !spells(this.text, from, start, end)) {
      this.id = this.find(from, start, end);
      this.text = this.values[this.id]!;
    }
    return this.id;
  }
}
