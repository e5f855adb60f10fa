/**
 * deb822 control data as dpkg writes its status file: stanzas of `Field: value` lines separated by
 * blank lines, a value continued on lines that start with a space or a tab.
 */

/** One stanza: field names lowercased (they are case-insensitive); each value keeps its continuation lines. */
export type Stanza = ReadonlyMap<string, FieldValue>;

/** One field's value, as written. */
export interface FieldValue {
  /** The text after `Field:` on the first line, without surrounding blanks. */
  readonly first: string;
  /** The continuation lines, exactly as written (leading blank included). */
  readonly more: readonly string[];
}

/** Splits control data into stanzas; lines that are neither fields nor continuations are ignored. */
export function parseStanzas(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current = new Map<string, { first: string; more: string[] }>();
  let last: { first: string; more: string[] } | undefined;
  const close = () => {
    if (current.size) stanzas.push(current);
    current = new Map();
    last = undefined;
  };
  for (const line of text.split('\n')) {
    if (/^[ \t]*$/.test(line)) close();
    else if (line[0] === ' ' || line[0] === '\t') last?.more.push(line);
    else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = { first: line.slice(colon + 1).trim(), more: [] };
      current.set(line.slice(0, colon).toLowerCase(), last);
    }
  }
  close();
  return stanzas;
}
