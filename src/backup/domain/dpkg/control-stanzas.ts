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

/**
 * Splits control data into stanzas; lines that are neither fields nor continuations are ignored.
 * With `only`, fields whose lowercased name is not in it are left out (a status file's long
 * descriptions need not be collected to learn which packages are installed).
 */
export function parseStanzas(text: string, only?: ReadonlySet<string>): Stanza[] {
  const stanzas: Stanza[] = [];
  let current = new Map<string, { first: string; more: string[] }>();
  let last: { first: string; more: string[] } | undefined;
  // A blank line (only spaces and tabs) ends a stanza, even one whose fields were all left out.
  let fields = 0;
  const close = () => {
    if (fields) stanzas.push(current);
    current = new Map();
    last = undefined;
    fields = 0;
  };
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const first = text.charCodeAt(start);
    if (blank(text, start, end)) close();
    else if (first === 32 || first === 9) last?.more.push(text.slice(start, end));
    else {
      const colon = text.indexOf(':', start);
      if (colon > start && colon < end) {
        const name = text.slice(start, colon).toLowerCase();
        fields++;
        last = only && !only.has(name) ? undefined : { first: text.slice(colon + 1, end).trim(), more: [] };
        if (last) current.set(name, last);
      }
    }
    start = end + 1;
  }
  close();
  return stanzas;
}

/** Whether `text[start..end)` holds only spaces and tabs. */
function blank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
