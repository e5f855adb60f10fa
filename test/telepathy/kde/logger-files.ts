import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShownLine } from './chat-view.js';

/** Every `.log` file under telepathy-logger's folder (`$XDG_DATA_HOME/TpLogger/logs/<account>/<contact>/<day>.log`). */
async function logFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? logFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.log') ? [join(dir, e.name)] : []))));
  return nested.flat().sort();
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The text messages telepathy-logger wrote, in file order: `isuser='true'` is the person's own. */
export async function readLoggedLines(dataHome: string): Promise<ShownLine[]> {
  const lines: ShownLine[] = [];
  for (const file of await logFiles(join(dataHome, 'TpLogger/logs'))) {
    const xml = await readFile(file, 'utf8');
    for (const [, attrs = '', text = ''] of xml.matchAll(/<message ([^>]*)>([^<]*)<\/message>/g)) {
      lines.push({ from: /isuser='true'/.test(attrs) ? 'me' : 'them', text: unescape(text) });
    }
  }
  return lines;
}

/** Poll the logger's files until they hold at least `count` messages (it writes as it observes). */
export async function loggedLines(dataHome: string, count: number, timeoutMs: number): Promise<ShownLine[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = await readLoggedLines(dataHome);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 200));
  }
}
