/**
 * Where in an `--already-covered` list a problem is, so its error can say FILE:LINE:COLUMN: the
 * first byte that is not UTF-8, where JSON stops being JSON, and where each entry of a JSON
 * document's `list` starts.
 */
import { utf8SequenceLength } from '#backup/domain/paths/utf8.js';

/** A 1-based line and column. */
export interface LineColumn {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in the units `offset` counts (characters, or bytes of a byte string). */
  readonly column: number;
}

/** The line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of the first byte of `bytes` (a byte string) that is not well-formed UTF-8; -1 if none. */
export function firstInvalidUtf8(bytes: string): number {
  for (let at = 0; at < bytes.length; ) {
    if (bytes.charCodeAt(at) < 0x80) at++;
    else {
      const length = utf8SequenceLength(bytes, at);
      if (length === 0) return at;
      at += length;
    }
  }
  return -1;
}

/**
 * Where JSON.parse stops on `text`: the position it names, `text.length` when it runs out of
 * input, -1 when it names none (Node 20 names none for an unexpected token), undefined when
 * `text` is JSON.
 */
function parseStop(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (position) return Math.min(Number(position[1]), text.length);
    return /end of JSON input/.test(message) ? text.length : -1;
  }
}

/** Whether `prefix` holds a mistake, not only an end too early. */
function failsBeforeEnd(prefix: string): boolean {
  const stop = parseStop(prefix);
  return stop !== undefined && stop < prefix.length;
}

/**
 * The offset of the character where `text`, which JSON.parse refuses, stops being JSON. Where
 * Node does not say, the shortest prefix that fails for another reason than its end ends with
 * that character.
 */
export function jsonErrorOffset(text: string): number {
  const stop = parseStop(text) ?? text.length;
  if (stop >= 0) return stop;
  let good = 0; // a prefix that is still JSON so far
  let bad = text.length; // a prefix that is not
  while (bad - good > 1) {
    const middle = (good + bad) >>> 1;
    if (failsBeforeEnd(text.slice(0, middle))) bad = middle;
    else good = middle;
  }
  return bad - 1;
}

/** The offset after the JSON string that starts at `at` (its opening quote). */
function afterString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  return at;
}

/**
 * Where each element of the top-level object's `list` array starts, in `text`, which JSON.parse
 * accepts. When `list` is given more than once, JSON.parse keeps the last: so does this.
 */
export function listElementOffsets(text: string): number[] {
  let offsets: number[] = [];
  let depth = 0;
  let current: number[] | undefined; // the list being read, at depth 2
  for (let at = 0; at < text.length; ) {
    const char = text[at]!;
    if (char === '"') {
      const end = afterString(text, at);
      const colon = skipSpace(text, end);
      if (depth === 1 && text[colon] === ':' && JSON.parse(text.slice(at, end)) === 'list') {
        const value = skipSpace(text, colon + 1);
        if (text[value] === '[') {
          current = offsets = [];
          depth = 2;
          const first = skipSpace(text, value + 1);
          if (text[first] !== ']') current.push(first);
          at = first;
          continue;
        }
      }
      at = end;
      continue;
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth < 2) current = undefined;
    } else if (char === ',' && depth === 2 && current) current.push(skipSpace(text, at + 1));
    at++;
  }
  return offsets;
}
