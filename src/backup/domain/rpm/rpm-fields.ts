/**
 * Splits rpm's bulk query output into records of fields, straight from its bytes: a field is
 * found as a span of the buffer, and made a string only when asked for (`fieldText`).
 * @module
 */

const TAB = 9;
const NEWLINE = 10;
const QUOTE = 39;
const BACKSLASH = 92;

/** A field's bytes are the span as it is. */
export const PLAIN = 0;
/** A field that was one quoted run: the span is what lay inside the quotes. */
export const QUOTED = 1;
/** A field mixing quoted runs, `\'` and plain bytes: the span is raw shell text, see `fieldText`. */
export const ESCAPED = 2;

/** The most fields a record keeps spans for; a longer one only counts them (and is refused). */
const MAX_FIELDS = 16;

/** The fields of the record being read, as spans of the buffer; reused from record to record. */
export class FieldSpans {
  /** How many fields the record has (may exceed the spans kept). */
  count = 0;
  /** Where each field starts. */
  readonly start = new Int32Array(MAX_FIELDS);
  /** Where each field ends (exclusive). */
  readonly end = new Int32Array(MAX_FIELDS);
  /** PLAIN, QUOTED or ESCAPED. */
  readonly kind = new Uint8Array(MAX_FIELDS);
}

/** `scanRecord`: the bytes end before the record does. */
export const UNFINISHED = -1;
/** `scanRecord`: the bytes end inside a quoted name. */
export const IN_QUOTES = -2;

/**
 * Reads the record starting at `from` into `spans`, honouring shell single quotes; returns where
 * the next one starts, or UNFINISHED or IN_QUOTES when the bytes end first.
 */
export function scanRecord(bytes: Buffer, from: number, spans: FieldSpans): number {
  const end = bytes.length;
  let field = from;
  let kind = PLAIN;
  let i = from;
  spans.count = 0;
  while (i < end) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      let j = i + 1;
      while (j < end && bytes[j] !== QUOTE) j++;
      if (j === end) return IN_QUOTES;
      kind = i === field && kind === PLAIN ? QUOTED : ESCAPED;
      i = j + 1;
    } else if (c === TAB || c === NEWLINE) {
      const n = spans.count++;
      if (n < MAX_FIELDS) {
        const quoted = kind === QUOTED;
        spans.start[n] = quoted ? field + 1 : field;
        spans.end[n] = quoted ? i - 1 : i;
        spans.kind[n] = kind;
      }
      field = ++i;
      kind = PLAIN;
      if (c === NEWLINE) return i;
    } else if (c === BACKSLASH) {
      kind = ESCAPED;
      i += bytes[i + 1] === QUOTE ? 2 : 1; // at the end: unfinished, the next chunk says whether `\'`
    } else {
      if (kind === QUOTED) kind = ESCAPED;
      i++;
    }
  }
  return UNFINISHED;
}

/**
 * Hands each complete record of `bytes` from `from` on to `onRecord` (its fields in `spans`, valid
 * during the call) and returns where the unfinished rest begins (`~` of it when that ends inside quotes), so
 * output read in chunks is parsed as it arrives. One call reads one record, not a whole chunk in a
 * loop: that loop's optimised code, compiled while it ran, had no type feedback for its rare exits
 * and was thrown away at the end of nearly every chunk (seen with --trace-deopt).
 */
export function scanFields(bytes: Buffer, from: number, spans: FieldSpans, onRecord: () => void): number {
  let at = from;
  for (;;) {
    const next = scanRecord(bytes, at, spans);
    if (next === IN_QUOTES) return ~at;
    if (next === UNFINISHED) return at;
    onRecord();
    at = next;
  }
}

/**
 * Reads a whole chunk's records at once, as `scanRecord` reads each (the walker addon's
 * rpm-spans.c, one call a chunk where `scanFields` loops in JavaScript): writes into `out`, from
 * `bytes`' offset `from` on, out[0] where the unfinished rest begins (`~` of it when that ends
 * inside quotes, as `scanFields` returns), out[1] 1 when `out` filled first (ask again from
 * out[0]), then per record its field count and, for each field kept (up to MAX_FIELDS), its start,
 * end and kind (`takeSpans` reads one back). Answers how many records it wrote.
 */
export type RecordScanner = (bytes: Buffer, from: number, out: Int32Array) => number;

/** Where a RecordScanner's first record begins in its `out`. */
export const FIRST_SPANS = 2;

/** Copies the record at `at` of a RecordScanner's `out` into `spans`; returns where the next begins. */
export function takeSpans(out: Int32Array, at: number, spans: FieldSpans): number {
  const count = out[at]!;
  const kept = count < MAX_FIELDS ? count : MAX_FIELDS;
  spans.count = count;
  let i = at + 1;
  for (let n = 0; n < kept; n++, i += 3) {
    spans.start[n] = out[i]!;
    spans.end[n] = out[i + 1]!;
    spans.kind[n] = out[i + 2]!;
  }
  return i;
}

/** Field `n` of the current record as a byte string (one character per byte), unquoted. */
export function fieldText(bytes: Buffer, spans: FieldSpans, n: number): string {
  const start = spans.start[n]!;
  const end = spans.end[n]!;
  if (spans.kind[n] !== ESCAPED) return latin1(bytes, start, end);
  let text = '';
  for (let i = start; i < end; ) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      let j = i + 1;
      while (bytes[j] !== QUOTE) j++;
      text += latin1(bytes, i + 1, j);
      i = j + 1;
    } else if (c === BACKSLASH && bytes[i + 1] === QUOTE) {
      text += "'";
      i += 2;
    } else {
      text += String.fromCharCode(c);
      i++;
    }
  }
  return text;
}

/** The fields kept of the current record, as byte strings. */
export function fieldTexts(bytes: Buffer, spans: FieldSpans): string[] {
  const texts: string[] = [];
  for (let n = 0; n < Math.min(spans.count, MAX_FIELDS); n++) texts.push(fieldText(bytes, spans, n));
  return texts;
}

function latin1(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}
