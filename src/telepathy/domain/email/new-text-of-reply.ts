/**
 * The new text of a mail written as a reply: what a chat window should show.
 * @module
 */

const attribution = [
  /^On .+wrote:\s*$/i, // Gmail, Thunderbird, Apple Mail: "On Mon, 1 Dec 2026, Alice <a@x> wrote:"
  /^Le .+a écrit\s*:\s*$/i,
  /^Am .+schrieb .+:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook
];

/**
 * `text` without what it quotes: `>` lines, the attribution line that introduces them (also when
 * a mail program wrapped it over two lines), everything after an Outlook "Original Message"
 * rule, and the signature after a `-- ` line. Line ends become `\n`; surrounding blank lines go.
 * When nothing would remain (a mail that is all quote), the text is kept as it came.
 */
export function newTextOfReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '-- ' || line === '--') break; // RFC 3676 §4.3 signature separator
    if (/^-{2,}\s*Original Message/i.test(line)) break;
    if (line.startsWith('>')) continue;
    if (attribution.some((a) => a.test(line))) continue;
    if (attribution.some((a) => a.test(`${line} ${lines[i + 1] ?? ''}`)) && quoteFollows(lines, i + 2)) {
      i++; // an attribution a mail program wrapped over two lines
      continue;
    }
    kept.push(line.trimEnd());
  }
  const result = kept.join('\n').replace(/^\n+|\n+$/g, '');
  return result.length > 0 ? result : text.replace(/\r\n?/g, '\n').trim();
}

/** Whether a `>` line comes next from line `i`, after at most one blank line. */
function quoteFollows(lines: readonly string[], i: number): boolean {
  const next = lines[i] === '' ? lines[i + 1] : lines[i];
  return (next ?? '').startsWith('>');
}
