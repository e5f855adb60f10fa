/**
 * JSON text for documents of any depth, in pieces: what `JSON.stringify(value, null, 2)` prints,
 * except that indentation stops growing past {@link MAX_INDENT_LEVELS} levels (a folder nested
 * 2,000 deep would otherwise cost more bytes of spaces than of data) and that no recursion is
 * used (JSON.stringify runs out of stack on a deep enough tree). The result parses to the same value.
 * @module
 */

/** Nesting levels past which lines are indented no further. */
export const MAX_INDENT_LEVELS = 32;
/** Pieces are handed to `write` once they reach about this many characters. */
const PIECE = 1 << 16;

/** An object or array being written: its keys (for an object) and how far it got. */
interface Frame {
  readonly value: Record<string, unknown> | readonly unknown[];
  readonly keys: readonly string[] | undefined;
  at: number;
  readonly depth: number;
}

function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/**
 * Writes `value` as indented JSON through `write`, in pieces, without a final newline; with
 * `compact`, as `JSON.stringify(value)` prints it (no spaces, no newlines).
 */
export function writeJson(value: unknown, write: (piece: string) => void, compact = false): void {
  let out = '';
  const emit = (text: string): void => {
    out += text;
    if (out.length >= PIECE) {
      write(out);
      out = '';
    }
  };
  const newline = (depth: number): string => (compact ? '' : `\n${'  '.repeat(Math.min(depth, MAX_INDENT_LEVELS))}`);
  const colon = compact ? ':' : ': ';
  const stack: Frame[] = [];
  const start = (item: unknown, depth: number): void => {
    if (item === null || typeof item !== 'object') {
      emit(JSON.stringify(item) ?? 'null'); // undefined and functions in an array are null, as JSON.stringify has it
      return;
    }
    const keys = Array.isArray(item) ? undefined : Object.keys(item).filter((k) => isWritten((item as Record<string, unknown>)[k]));
    const length = keys === undefined ? (item as unknown[]).length : keys.length;
    const brackets = keys === undefined ? '[]' : '{}';
    if (length === 0) return emit(brackets);
    emit(brackets[0]!);
    stack.push({ value: item as Frame['value'], keys, at: 0, depth });
  };
  start(value, 0);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const length = frame.keys === undefined ? (frame.value as unknown[]).length : frame.keys.length;
    if (frame.at === length) {
      stack.pop();
      emit(`${newline(frame.depth)}${frame.keys === undefined ? ']' : '}'}`);
      continue;
    }
    const index = frame.at++;
    const separator = index > 0 ? ',' : '';
    if (frame.keys === undefined) {
      emit(`${separator}${newline(frame.depth + 1)}`);
      start((frame.value as unknown[])[index], frame.depth + 1);
    } else {
      const key = frame.keys[index]!;
      emit(`${separator}${newline(frame.depth + 1)}${JSON.stringify(key)}${colon}`);
      start((frame.value as Record<string, unknown>)[key], frame.depth + 1);
    }
  }
  if (out.length > 0) write(out);
}
