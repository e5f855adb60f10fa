import { writeJson } from '#backup/report/json/json-writer.js';

/** Text made safe for HTML: element content and quoted attribute values alike. */
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` with `& < > " '` replaced by entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/**
 * JSON to place inside `<script type="application/json">`: no `<` survives, so no name can close
 * the script element or open a comment; JSON.parse reads the `\u003c` escapes back.
 */
export function jsonForScript(value: unknown): string {
  const pieces: string[] = [];
  writeJson(value, (piece) => pieces.push(piece), true); // any depth: JSON.stringify recurses
  return pieces.join('').replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Script text to inline: only a closing `</script` could end it early. */
export function scriptForInline(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
