import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { systemPython } from './clients.js';
import { activationEnv, makeActivatable } from './daemon-process.js';

const run = promisify(execFile);
let bus: PrivateBus;

beforeAll(async () => {
  bus = await startPrivateBus({ env: activationEnv() });
  await makeActivatable(bus.serviceDir, ['--idle-exit', '1']);
});

afterAll(async () => {
  await bus.stop();
});

describe('a real telepathy-glib client in an echo room', () => {
  it('lists the rooms, joins one, hears each member echo, sets the subject and leaves', async () => {
    const script = new URL('telepathy_glib_room_client.py', import.meta.url).pathname;
    const { stdout } = await run(systemPython, [script], { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address }, timeout: 60_000 }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`the client failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      },
    );
    const steps = Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    expect(steps).toEqual({
      connected: "room classes=[('org.freedesktop.Telepathy.Channel.Type.Text', 2), ('org.freedesktop.Telepathy.Channel.Type.RoomList', 0)]",
      listed: 'lobby(3) canyon(3)',
      joined: "lobby self=roomer@example.com members=['anna', 'bob', 'otto', 'roomer@example.com']",
      echoes: 'anna:hello, room bob:hello, room otto:hello, room',
      subject: "'Welcome to the echo lobby' -> 'echo, echo' by roomer@example.com (Subject2)",
      // telepathy-glib invalidates the room with the message of its own removal from the group.
      left: 'bye',
      disconnected: expect.stringContaining('roomer_40example_2ecom'),
    });
  });
});
