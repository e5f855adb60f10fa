/**
 * Contacts' aliases on one connection: the built-in echo contacts' names, the identifier for
 * anyone else, and whatever the user sets (kept until the connection ends).
 * @module
 */
import { builtinEchoContact } from './echo-contacts.js';

/** Aliases of one connection's contacts. */
export class Aliases {
  private readonly chosen = new Map<number, string>();

  constructor(private readonly idOf: (handle: number) => string) {}

  /** What a client should show for this contact. */
  aliasOf(handle: number): string {
    const id = this.idOf(handle);
    return this.chosen.get(handle) ?? builtinEchoContact(id)?.alias ?? id;
  }

  /** Set aliases; an empty one goes back to the default. Returns the contacts whose alias changed, with the new alias. */
  set(aliases: Readonly<Record<string, string>>): [handle: number, alias: string][] {
    const changed: [number, string][] = [];
    for (const [key, alias] of Object.entries(aliases)) {
      const handle = Number(key);
      const before = this.aliasOf(handle);
      if (alias === '') this.chosen.delete(handle);
      else this.chosen.set(handle, alias);
      if (this.aliasOf(handle) !== before) changed.push([handle, this.aliasOf(handle)]);
    }
    return changed;
  }
}
