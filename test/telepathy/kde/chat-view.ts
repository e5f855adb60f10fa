import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = new URL('chat-view.mjs', import.meta.url).pathname;

/** One line of the conversation as the chat window shows it, top to bottom. */
export interface ShownLine {
  /** `me` for the person's own messages (Adium's `outgoing` class), `them` for the contact's. */
  readonly from: 'me' | 'them';
  readonly text: string;
}

// Adium message styles (KTp's chat view) mark each message block `message` plus `incoming` or
// `outgoing`; a sender's consecutive messages go inside the same block. KTp's default style
// (Renkoo) ends each message's text with an `x-timeStamp` element: a line is what precedes one.
const READ_LINES = `!document.getElementById('Chat') ? null : [...document.querySelectorAll('#Chat .message .x-timeStamp')].map((stamp) => {
  const parts = [];
  for (let n = stamp.previousSibling; n && !(n.nodeType === 1 && (n.matches('.x-timeStamp, #insert') || n.querySelector('.x-timeStamp'))); n = n.previousSibling) parts.unshift(n.textContent);
  return { from: stamp.closest('.message').classList.contains('outgoing') ? 'me' : 'them', text: parts.join('').trim() };
})`;

/** The conversation in the chat window, read from its page through QtWebEngine's DevTools endpoint on loopback. */
export async function shownLines(devtoolsPort: number): Promise<ShownLine[]> {
  const { stdout } = await run(process.execPath, ['--experimental-websocket', '--no-warnings', script, String(devtoolsPort), READ_LINES], { timeout: 10_000 });
  const views = (JSON.parse(stdout) as Array<ShownLine[] | null>).filter((lines) => Array.isArray(lines));
  if (views.length === 0) throw new Error('no chat view (yet)');
  return views.find((lines) => lines.length > 0) ?? [];
}

/** Wait until the chat view's page is loaded (its #Chat element exists). */
export async function waitForChatView(devtoolsPort: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await shownLines(devtoolsPort);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the chat view did not load within ${timeoutMs} ms: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Poll the window until it shows at least `count` lines; resolves to what it shows then. */
export async function waitForLines(devtoolsPort: number, count: number, timeoutMs: number): Promise<ShownLine[]> {
  const deadline = Date.now() + timeoutMs;
  let lines: ShownLine[] = [];
  for (;;) {
    lines = await shownLines(devtoolsPort).catch(() => lines);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 200));
  }
}
