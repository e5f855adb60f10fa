import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An Xvfb server of our own, on a display number it picked itself. */
export interface XDisplay {
  /** e.g. `:99`, for DISPLAY. */
  readonly display: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Start Xvfb on a free display: `-displayfd` makes it choose one and tell us which. */
export async function startXvfb(): Promise<XDisplay> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp', '-nolisten', 'unix', '-noreset'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code} before choosing a display`)));
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  return { display: `:${number}`, pid: child.pid as number, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** xdotool against one display; resolves to its trimmed output. */
export async function xdotool(display: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('xdotool', args, { env: { ...process.env, DISPLAY: display }, timeout: 10_000 });
  return stdout.trim();
}

/** Window ids whose title matches `title` (a regular expression, as xdotool takes it), polled until one appears. */
export async function waitForWindow(display: string, title: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await xdotool(display, 'search', '--onlyvisible', '--name', title).catch(() => '');
    if (found) return found.split('\n').at(-1) as string;
    if (Date.now() > deadline) throw new Error(`no visible window titled /${title}/ within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Save one window (or `root`) as PNG: xwd dumps it, netpbm converts. */
export async function screenshot(display: string, window: string, pngPath: string): Promise<void> {
  const env = { ...process.env, DISPLAY: display };
  const xwd = spawn('xwd', window === 'root' ? ['-root', '-silent'] : ['-id', window, '-silent'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const toPnm = spawn('xwdtopnm', [], { stdio: ['pipe', 'pipe', 'ignore'] });
  const toPng = spawn('pnmtopng', [], { stdio: ['pipe', 'pipe', 'ignore'] });
  xwd.stdout.pipe(toPnm.stdin);
  toPnm.stdout.pipe(toPng.stdin);
  const file = createWriteStream(pngPath);
  const written = new Promise<void>((resolve) => file.once('close', () => resolve()));
  toPng.stdout.pipe(file);
  const codes = await Promise.all([xwd, toPnm, toPng].map((c) => new Promise<number | null>((resolve) => c.once('close', resolve))));
  await written;
  if (codes.some((c) => c !== 0)) throw new Error(`screenshot failed: exit codes ${codes.join(', ')}`);
}
