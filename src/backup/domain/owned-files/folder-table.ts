/**
 * The distinct folders of the owned paths, each kept once as a string and named by a small id,
 * found by the string or straight from a byte range (a loader parsing a file's bytes need not
 * build a string per path to learn its folder's id).
 */
import { hashText, ownCopy } from './byte-store.js';

const EMPTY = -1;

/** Folder id by text or bytes: an open-addressing hash of `hashText` values. */
export class FolderTable {
  /** The folders, by id. */
  readonly values: string[] = [];
  private hashes: Int32Array = new Int32Array(0);
  private slots = new Int32Array(1024).fill(EMPTY);

  /** Takes `values` as its folders by id, `hashes[id]` being `hashText` of each (not checked); it must be empty. */
  adopt(values: readonly string[], hashes: Int32Array): void {
    if (this.values.length) throw new Error('FolderTable.adopt: not empty');
    for (const value of values) this.values.push(value);
    this.hashes = hashes;
    let slots = this.slots.length;
    while (slots < values.length * 2 + 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.rehashInto();
  }

  /** `hashText` of each folder by id (the array may be longer than `values`). */
  get hashArray(): Int32Array {
    return this.hashes;
  }

  /** The id of `text`, adding it when new (a copy of its own, unless `kept`: it is a slice of a string kept anyway). */
  id(text: string, kept = false): number {
    const hash = hashText(text, 0);
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s]!;
      if (id === EMPTY) return this.added(kept ? text : ownCopy(text), hash, s);
      if (this.hashes[id] === hash && this.values[id] === text) return id;
    }
  }

  /**
   * The id of the folder whose bytes are `bytes[start..end)`, whose `hashText` is `hash`; with
   * `add`, added when new, else EMPTY (-1) when it is not there.
   */
  idOfBytes(bytes: Buffer, start: number, end: number, hash: number, add: boolean): number {
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const id = this.slots[s]!;
      if (id === EMPTY) return add ? this.added(bytes.toString('latin1', start, end), hash, s) : EMPTY;
      if (this.hashes[id] === hash && sameBytes(this.values[id]!, bytes, start, end)) return id;
    }
  }

  private added(text: string, hash: number, slot: number): number {
    const id = this.values.push(text) - 1;
    if (id >= this.hashes.length) {
      const next = new Int32Array(Math.max(1024, this.hashes.length * 2));
      next.set(this.hashes);
      this.hashes = next;
    }
    this.hashes[id] = hash;
    this.slots[slot] = id;
    if (this.values.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.rehashInto();
  }

  private rehashInto(): void {
    this.slots.fill(EMPTY);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.values.length; id++) {
      let s = this.hashes[id]! & mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
      this.slots[s] = id;
    }
  }
}

/** Whether the byte string `text` holds the bytes `bytes[start..end)`. */
function sameBytes(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}
