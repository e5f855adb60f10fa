/** The daemon's echo delay on the real bus: the echo is a later message of its own, CAVE_ECHO_DELAY_MS after the reply. */
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { CM, CM_PATH, spawnDaemon, TP, within, type DaemonProcess } from './daemon-process.js';

const { Variant } = dbus;
let bus: PrivateBus;
let daemon: DaemonProcess;
let client: BusClient;

beforeAll(async () => {
  bus = await startPrivateBus();
  client = await BusClient.connect(bus.address);
  daemon = spawnDaemon(bus.address, ['--persist'], { CAVE_ECHO_DELAY_MS: '600' });
  for (let i = 0; i < 200 && !(await client.ownerOf(CM)); i++) await new Promise((r) => setTimeout(r, 25));
});

afterAll(async () => {
  daemon.child.kill('SIGTERM');
  expect(await within(daemon.exited, 5000, 'daemon exit')).toBe(0);
  client.disconnect();
  await bus.stop();
});

describe('CAVE_ECHO_DELAY_MS', () => {
  it('sets how long after the reply and MessageSent the echo arrives', async () => {
    const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', 'patient@example') }])) as [string, string];
    await client.call(name, path, `${TP}.Connection`, 'Connect');
    const request = {
      [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Text`),
      [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1),
      [`${TP}.Channel.TargetID`]: new Variant('s', 'bob@example'),
    };
    const [channel] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [request])) as [string];
    const replied = Date.now();
    await client.call(name, channel, `${TP}.Channel.Type.Text`, 'Send', 'us', [0, 'take your time']);
    await client.waitForSignal((s) => s.member === 'MessageSent' && s.path === channel, 2000);
    expect(client.signals.some((s) => s.member === 'MessageReceived')).toBe(false);
    await client.waitForSignal((s) => s.member === 'MessageReceived' && s.path === channel, 5000);
    expect(Date.now() - replied).toBeGreaterThanOrEqual(550);
    await client.call(name, path, `${TP}.Connection`, 'Disconnect');
  });
});
