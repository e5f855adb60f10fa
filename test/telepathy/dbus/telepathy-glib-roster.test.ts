import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { systemPython } from './clients.js';
import { activationEnv, makeActivatable } from './daemon-process.js';

const run = promisify(execFile);
let bus: PrivateBus;
let home: string;

beforeAll(async () => {
  bus = await startPrivateBus({ env: activationEnv() });
  await makeActivatable(bus.serviceDir, ['--idle-exit', '1']);
  home = await mkdtemp(join(tmpdir(), 'cave-tpglib-roster-'));
});

afterAll(async () => {
  await bus.stop();
  await rm(home, { recursive: true, force: true });
});

describe('a real telepathy-glib client on the roster', () => {
  it('lists the echo contacts with names, groups and pictures, and bob accepts a subscription request', async () => {
    const script = new URL('telepathy_glib_roster_client.py', import.meta.url).pathname;
    const { stdout } = await run(systemPython, [script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address, XDG_CACHE_HOME: join(home, 'cache'), XDG_DATA_HOME: join(home, 'data-home') },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => /^(contact-list|contact):/.test(l))).toEqual([
      "contact-list: state=success can-change=True groups=['Echoes']",
      "contact: broken-echo@cave.example alias=Broken Echo groups=['Echoes'] subscription=yes presence=available",
      "contact: echo@cave.example alias=Echo groups=['Echoes'] subscription=yes presence=available",
      "contact: slow-echo@cave.example alias=Slow Echo groups=['Echoes'] subscription=yes presence=available",
    ]);
    // The pictures shipped in data/avatars/, fetched by telepathy-glib and cached as files.
    expect(lines.filter((l) => l.startsWith('avatar:'))).toEqual(
      ['broken-echo', 'echo', 'slow-echo'].map((name) => expect.stringMatching(new RegExp(`^avatar: ${name}@cave\\.example image/png bytes=\\d+ token-length=40$`))),
    );
    expect(lines).toContain("subscribed: bob@example.com subscribe=yes publish-request='Hello, Bob' alias=bob@example.com");
    expect(lines).toContain('own-avatar: token-length=16');
    expect(lines.at(-1)).toMatch(/^disconnected: /);
  });
});
