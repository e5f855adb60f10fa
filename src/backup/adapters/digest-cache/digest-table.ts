import { ByteStore, hashText } from '#backup/domain/owned-files/byte-store.js';

const NONE = -1;

function grown<T extends Uint32Array | Uint8Array>(column: T, length: number): T {
  const next = new (column.constructor as new (n: number) => T)(length);
  next.set(column);
  return next;
}

/**
 * The digest cache's entries held compactly: keys and digests as bytes in two buffers, an
 * open-addressing hash over the keys, and one byte per entry saying whether this scan used it
 * (only those are written back). A Map of strings cost about 300 bytes per cached file, twice.
 */
export class DigestTable {
  private readonly keys = new ByteStore();
  private readonly hexes = new ByteStore();
  private keyAt = new Uint32Array(1024);
  private keyLength = new Uint32Array(1024);
  private hexAt = new Uint32Array(1024);
  private hexLength = new Uint32Array(1024);
  private usedFlags = new Uint8Array(1024);
  private slots = new Int32Array(2048).fill(NONE);
  /** Entries held. */
  size = 0;
  /** Entries this scan used or added. */
  used = 0;

  private find(key: string): number {
    const mask = this.slots.length - 1;
    for (let s = hashText(key, 0) & mask; ; s = (s + 1) & mask) {
      const i = this.slots[s]!;
      if (i === NONE || this.keys.equals(this.keyAt[i]!, this.keyLength[i]!, key, 0)) return s;
    }
  }

  /** The digest kept for `key`, marking the entry used; undefined when there is none. */
  use(key: string): string | undefined {
    const i = this.slots[this.find(key)]!;
    if (i === NONE) return undefined;
    if (!this.usedFlags[i]) this.used++;
    this.usedFlags[i] = 1;
    return this.hexes.text(this.hexAt[i]!, this.hexLength[i]!, 'latin1');
  }

  /** Keeps `hex` for `key` (a byte string), used by this scan or not; a key already held keeps its digest. */
  add(key: string, hex: string, used: boolean): void {
    const slot = this.find(key);
    const held = this.slots[slot]!;
    if (held !== NONE) {
      if (used && !this.usedFlags[held]) (this.usedFlags[held] = 1), this.used++;
      return;
    }
    const i = this.size++;
    if (i === this.keyAt.length) this.grow();
    this.keyAt[i] = this.keys.append(key, 'latin1');
    this.keyLength[i] = key.length;
    this.hexAt[i] = this.hexes.append(hex, 'latin1');
    this.hexLength[i] = hex.length;
    this.usedFlags[i] = used ? 1 : 0;
    if (used) this.used++;
    this.slots[slot] = i;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private grow(): void {
    const n = this.keyAt.length * 2;
    this.keyAt = grown(this.keyAt, n);
    this.keyLength = grown(this.keyLength, n);
    this.hexAt = grown(this.hexAt, n);
    this.hexLength = grown(this.hexLength, n);
    this.usedFlags = grown(this.usedFlags, n);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(NONE);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.size; i++) {
      let s = this.keys.hash(this.keyAt[i]!, this.keyLength[i]!) & mask;
      while (this.slots[s] !== NONE) s = (s + 1) & mask;
      this.slots[s] = i;
    }
  }

  /** Every entry this scan used or added, as [key, hex]. */
  *usedEntries(): Generator<[string, string]> {
    for (let i = 0; i < this.size; i++) {
      if (this.usedFlags[i]) yield [this.keys.text(this.keyAt[i]!, this.keyLength[i]!, 'latin1'), this.hexes.text(this.hexAt[i]!, this.hexLength[i]!, 'latin1')];
    }
  }
}
