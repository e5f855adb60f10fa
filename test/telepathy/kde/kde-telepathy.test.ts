/**
 * KDE Telepathy's real chat window against cave, end to end, on a throw-away desktop: Xvfb, a
 * private session bus, Mission Control, cave (from dist/: `npm run build` first), and KDE's text
 * UI, OTR proxy and telepathy-logger activated on demand. Needs the Debian packages listed in
 * .ci/system-packages.txt. Screenshots and, on failure, program logs and bus traffic go to reports/kde/.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Seen } from './bus-monitor.js';
import { waitForChatView, waitForLines, type ShownLine } from './chat-view.js';
import { createEchoAccount, requestChat } from './echo-account.js';
import { PROXY, TEXT_UI, TP, startKdeSession, type KdeSession } from './kde-session.js';
import { loggedLines } from './logger-files.js';
import { screenshot, waitForWindow, xdotool } from './x-display.js';

const ARTIFACTS = new URL('../../../reports/kde/', import.meta.url).pathname;
const MESSAGES = `${TP}.Channel.Interface.Messages`;
const OTR = 'org.kde.TelepathyProxy.ChannelProxy.Interface.OTR';
let session: KdeSession | undefined;

afterEach(async (context) => {
  // On failure, keep what the programs said and what crossed the bus, beside the screenshot.
  if (session && context.task.result?.state === 'fail') {
    const name = context.task.name.replace(/\W+/g, '-');
    const logs = (await readdir(session.home)).filter((f) => f.endsWith('.log'));
    const texts = await Promise.all(logs.map(async (f) => `== ${f}\n${await readFile(join(session!.home, f), 'utf8')}`));
    await writeFile(join(ARTIFACTS, `${name}-programs.log`), texts.join('\n')).catch(() => undefined);
    await writeFile(join(ARTIFACTS, `${name}-bus.log`), session.monitor.seen.map(describe1).join('\n')).catch(() => undefined);
  }
  await session?.stop();
  session = undefined;
});

const describe1 = (m: Seen) => `${m.kind} ${m.sender} -> ${m.destination} ${m.path} ${m.interface}.${m.member}\n${m.args}`;
const carries = (text: string) => (m: Seen) => m.args.includes(`string "${text}"`);

/**
 * The person's side: open the chat as "Start a chat" does, wait for the window, click into it (no
 * window manager here) and type. Directly, the contact is the roster's echo contact: the window is
 * titled with its alias (Aliasing) and shows its avatar; through the proxy, an id off the roster.
 */
async function chatAndType(withProxy: boolean, text: string): Promise<{ window: string; textUi: string; proxy?: string; contact: string }> {
  await mkdir(ARTIFACTS, { recursive: true });
  session = await startKdeSession({ withProxy });
  const account = await createEchoAccount(session, 'me@example.com');
  const contact = withProxy ? 'echo@example.com' : 'echo@cave.example';
  await requestChat(session, account, contact);
  const window = await waitForWindow(session.x.display, withProxy ? '^echo@example\\.com' : '^Echo', 30_000);
  await waitForChatView(session.devtoolsPort, 15_000);
  await xdotool(session.x.display, 'windowfocus', '--sync', window);
  await xdotool(session.x.display, 'type', '--delay', '15', text);
  await xdotool(session.x.display, 'key', 'Return');
  const textUi = (await session.client.ownerOf(TEXT_UI)) as string;
  const proxy = withProxy ? await session.client.ownerOf(PROXY) : undefined;
  return { window, textUi, proxy, contact };
}

async function expectEchoShownAndAcknowledged(text: string, contact: string, textUi: string, proxy: string | undefined): Promise<ShownLine[]> {
  const s = session as KdeSession;
  const cave = await s.client.ownerOf('org.freedesktop.Telepathy.Connection.cave.echo.me_40example_2ecom');
  // KDE Telepathy sent it: to cave itself, or to its proxy which then sent it to cave.
  const toCave = await s.monitor.waitFor('SendMessage to cave', (m) => m.member === 'SendMessage' && m.interface === MESSAGES && m.destination === cave && carries(text)(m), 15_000);
  expect(toCave.sender).toBe(proxy ?? textUi);
  if (proxy) {
    const toProxy = s.monitor.seen.find((m) => m.member === 'SendMessage' && m.interface === OTR && carries(text)(m));
    expect(toProxy?.sender).toBe(textUi);
  }
  // The echo came back from cave, and KDE Telepathy acknowledged it once shown.
  const echo = await s.monitor.waitFor('the echo', (m) => m.kind === 'signal' && m.sender === cave && m.member === 'MessageReceived' && carries(text)(m), 10_000);
  expect(echo.args).toContain(`string "${contact}"`);
  const ack = await s.monitor.waitFor('AcknowledgePendingMessages to cave', (m) => m.member === 'AcknowledgePendingMessages' && m.destination === cave, 10_000);
  expect(ack.sender).toBe(proxy ?? textUi);
  return waitForLines(s.devtoolsPort, 2, 10_000);
}

async function saveScreenshot(window: string, name: string): Promise<void> {
  const s = session as KdeSession;
  // The message style fades each new line in; let the last one finish before the picture.
  await new Promise((r) => setTimeout(r, 1000));
  await screenshot(s.x.display, window, join(ARTIFACTS, `${name}.png`)).catch(() => screenshot(s.x.display, 'root', join(ARTIFACTS, `${name}.png`)));
}

describe('KDE Telepathy (the real chat window) with an echo contact', () => {
  it('sends what the person types straight to cave, shows it, then the echo, and acknowledges the echo; the window names the echo contact by its alias', async () => {
    const text = 'hello from KDE Telepathy';
    const { window, textUi, contact } = await chatAndType(false, text);
    const lines = await expectEchoShownAndAcknowledged(text, contact, textUi, undefined);
    await saveScreenshot(window, 'kde-telepathy-direct');
    expect(lines).toEqual([{ from: 'me', text }, { from: 'them', text }]);
    // telepathy-logger observed the same conversation and logged both sides.
    const logged = await loggedLines((session as KdeSession).dataHome, 2, 10_000);
    expect(logged).toEqual([{ from: 'me', text }, { from: 'them', text }]);
  }, 60_000);

  it('sends through KDE\'s OTR proxy as installed, shows both lines and acknowledges the echo', async () => {
    const text = 'hello through the OTR proxy';
    const { window, textUi, proxy, contact } = await chatAndType(true, text);
    expect(proxy).toMatch(/^:/);
    const lines = await expectEchoShownAndAcknowledged(text, contact, textUi, proxy);
    await saveScreenshot(window, 'kde-telepathy-proxy');
    await writeFile(join(ARTIFACTS, 'kde-telepathy-proxy-order.json'), JSON.stringify(lines, null, 2));
    // The proxy forwards the echo at once but re-emits its own MessageSent only after its call
    // returns: cave's echo arrives later, as a contact's reply would, so the window reads in order.
    expect(lines).toEqual([{ from: 'me', text }, { from: 'them', text }]);
    // telepathy-logger observes cave's channel itself, not the proxy: it logs cave's order.
    const logged = await loggedLines((session as KdeSession).dataHome, 2, 10_000);
    expect(logged).toEqual([{ from: 'me', text }, { from: 'them', text }]);
  }, 60_000);
});
