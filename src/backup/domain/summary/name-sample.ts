/**
 * A few names of what was folded, to show in reports: the smallest few in byte order (so the
 * sample does not depend on walk order) and how many there were in all. O(1) memory.
 * @module
 */

/** Some names of a folder's contents, and how many there were. */
export interface NameSample {
  /** The smallest names, sorted, at most the sample size. */
  readonly names: readonly string[];
  /** How many names there were in all. */
  readonly total: number;
}

/** Collects a {@link NameSample} of at most `size` names. */
export class NameSampler {
  private readonly names: string[] = [];
  private total = 0;

  constructor(private readonly size: number) {}

  /** Count one name, keeping it when it is among the smallest. */
  add(name: string): void {
    this.total += 1;
    if (this.size <= 0) return;
    if (this.names.length === this.size) {
      if (name >= this.names[this.size - 1]!) return;
      this.names.pop();
    }
    let at = this.names.length;
    while (at > 0 && this.names[at - 1]! > name) at -= 1;
    this.names.splice(at, 0, name);
  }

  /** Adds every name of `sample` (its unnamed rest counts without names). */
  addSample(sample: NameSample): void {
    for (const name of sample.names) this.add(name);
    this.total += sample.total - sample.names.length;
  }

  /** The sample so far. */
  freeze(): NameSample {
    return { names: [...this.names], total: this.total };
  }
}
