import { mkdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEchoAccount, requestChat } from './echo-account.js';
import { PROXY, TEXT_UI, startKdeSession, type KdeSession } from './kde-session.js';
import { screenshot, waitForWindow, xdotool } from './x-display.js';

let session: KdeSession | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

describe('KDE Telepathy chatting with an echo contact', () => {
  it('through the OTR proxy', async () => {
    session = await startKdeSession({ withProxy: true });
    const account = await createEchoAccount(session, 'me@example.com');
    await requestChat(session, account, 'echo@example.com');
    const win = await waitForWindow(session.x.display, '.', 30_000);
    console.log('window', win, await xdotool(session.x.display, 'getwindowname', win));
    await new Promise((r) => setTimeout(r, 3000));
    await xdotool(session.x.display, 'windowfocus', '--sync', win);
    await xdotool(session.x.display, 'type', '--delay', '20', 'hello KDE');
    await xdotool(session.x.display, 'key', 'Return');
    await new Promise((r) => setTimeout(r, 3000));
    await mkdir('reports/kde', { recursive: true });
    await screenshot(session.x.display, 'root', 'reports/kde/spike.png');
    const { writeFile, readdir, readFile } = await import('node:fs/promises');
    await writeFile('reports/kde/spike-bus.txt', session.monitor.seen.map((m) => `${m.kind} ${m.sender} -> ${m.destination} ${m.path} ${m.interface} ${m.member}\n${m.args}`).join('\n'));
    for (const f of await readdir(session.home)) if (f.endsWith('.log')) console.log(f, (await readFile(`${session.home}/${f}`, 'utf8')).slice(-3000));
    for (const m of session.monitor.seen) if (/Text|Messages|OTR|Proxy/.test(m.interface + m.member)) console.log(m.kind, m.sender, '->', m.destination, m.interface, m.member, m.args.slice(0, 400));
    expect(TEXT_UI && PROXY).toBeTruthy();
  }, 90_000);
});
