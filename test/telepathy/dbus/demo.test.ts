import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { bins, childEnv } from '#test/support/child-env.js';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, makeActivatable, within } from './daemon-process.js';

const run = promisify(execFile);
const buses: PrivateBus[] = [];
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.stop();
});

const echoes = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('│ [')).map((l) => l.replace(/^│ \[\d\d:\d\d:\d\d\] /, ''));

describe('telepathy-cave demo (npm start)', () => {
  it('plays a scripted echo conversation on a private bus when none is given', async () => {
    const { stdout } = await run(process.execPath, [bins.telepathyCave, 'demo'], { env: childEnv(), timeout: 30_000 });
    expect(stdout).toContain('started a private D-Bus bus');
    const chat = echoes(stdout);
    expect(chat).toHaveLength(8);
    for (let i = 0; i < chat.length; i += 2) {
      expect(chat[i]).toMatch(/^you: /);
      expect(chat[i + 1]).toBe(chat[i]?.replace(/^you: /, 'echo@cave.example: '));
    }
    expect(stdout.trim().split('\n').at(-1)).toBe('· signed out; every message came straight back');
  });

  it('echoes what the user types with --interactive', async () => {
    const child = spawn(process.execPath, [bins.telepathyCave, 'demo', '--interactive'], { env: childEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.write('first words\n');
    child.stdin.end('and more words\n');
    const code = await within(new Promise((resolve) => child.once('exit', resolve)), 30_000, 'interactive demo');
    expect(code).toBe(0);
    expect(echoes(stdout)).toEqual(['you: first words', 'echo@cave.example: first words', 'you: and more words', 'echo@cave.example: and more words']);
  });

  it('uses a given session bus, starting cave there itself when it is not installed', async () => {
    const bus = await startPrivateBus();
    buses.push(bus);
    const { stdout } = await run(process.execPath, [bins.telepathyCave, 'demo'], { env: childEnv({ DBUS_SESSION_BUS_ADDRESS: bus.address }), timeout: 30_000 });
    expect(stdout).toContain('telepathy-cave is not installed there, so the demo starts it');
    expect(echoes(stdout)).toHaveLength(8);
    // The cave it started has left again (the bus may take a moment to notice).
    const client = await BusClient.connect(bus.address);
    let owner = await client.ownerOf(CM);
    for (let i = 0; i < 100 && owner !== undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      owner = await client.ownerOf(CM);
    }
    expect(owner).toBeUndefined();
    client.disconnect();
  });

  it('uses cave as installed on a given session bus', async () => {
    const bus = await startPrivateBus({ env: activationEnv() });
    buses.push(bus);
    await makeActivatable(bus.serviceDir, ['--idle-exit', '0.3']);
    const client = await BusClient.connect(bus.address);
    const { stdout } = await run(process.execPath, [bins.telepathyCave, 'demo'], { env: childEnv({ DBUS_SESSION_BUS_ADDRESS: bus.address }), timeout: 30_000 });
    expect(stdout).toContain('using your session bus, where telepathy-cave is installed');
    expect(echoes(stdout)).toHaveLength(8);
    await client.waitForSignal((s) => s.member === 'NameOwnerChanged' && s.body[0] === CM && s.body[2] === '');
    client.disconnect();
  });
});
