/**
 * The built daemon under conditions a user rarely tries on purpose: an idle timeout of months,
 * and the bus daemon dying under it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { activationEnv, CM, CM_PATH, spawnDaemon, TP, within, type DaemonProcess } from './daemon-process.js';
import dbus from 'dbus-next';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function bus(): Promise<PrivateBus> {
  const b = await startPrivateBus({ env: activationEnv() });
  cleanups.push(() => b.stop());
  return b;
}
function daemon(b: PrivateBus, args: string[]): DaemonProcess {
  const d = spawnDaemon(b.address, args);
  cleanups.push(() => {
    if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
  });
  return d;
}
async function untilOwned(c: BusClient, name: string): Promise<void> {
  for (let i = 0; i < 200 && !(await c.ownerOf(name)); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('telepathy-cave, the daemon, over long times and lost buses', () => {
  it('keeps running with an idle timeout longer than Node timers allow (25.4 days, a year)', async () => {
    const b = await bus();
    const c = await BusClient.connect(b.address);
    cleanups.push(() => c.disconnect());
    for (const seconds of ['2200000', String(365 * 24 * 3600)]) {
      const d = daemon(b, ['--idle-exit', seconds]);
      await untilOwned(c, CM);
      await new Promise((r) => setTimeout(r, 1000));
      expect(d.child.exitCode, `--idle-exit ${seconds}: ${d.stderr()}`).toBeNull();
      d.child.kill('SIGTERM');
      expect(await within(d.exited, 5000, 'exit after SIGTERM')).toBe(0);
    }
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)('exits within a second, status 1, saying why, when the bus daemon gets %s under a live connection', async (signal) => {
    const b = await startPrivateBus();
    cleanups.push(() => b.stop());
    const c = await BusClient.connect(b.address);
    const d = daemon(b, ['--persist']);
    await untilOwned(c, CM);
    const [name, path] = (await c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new dbus.Variant('s', 'loss@example') }])) as [string, string];
    await c.call(name, path, `${TP}.Connection`, 'Connect');
    c.disconnect();
    const killedAt = Date.now();
    process.kill(b.pid, signal);
    expect(await within(d.exited, 5000, 'exit after bus loss')).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(d.stderr()).toMatch(/^telepathy-cave: lost the D-Bus bus \(.+\); exiting$/m);
    expect(() => process.kill(d.child.pid!, 0)).toThrow(); // nothing left behind
  });
});

describe('telepathy-cave, the daemon, stopped with the bus still there', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s tells every connection Disconnected (Requested) after closing its channels, then exits 0', async (signal) => {
    const b = await bus();
    const c = await BusClient.connect(b.address);
    cleanups.push(() => c.disconnect());
    const d = daemon(b, ['--persist']);
    await untilOwned(c, CM);
    const paths: string[] = [];
    let channel = '';
    for (const account of ['first@example', 'second@example', 'third@example']) {
      const [name, path] = (await c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new dbus.Variant('s', account) }])) as [string, string];
      await c.call(name, path, `${TP}.Connection`, 'Connect');
      paths.push(path);
      if (channel === '') {
        const request = { [`${TP}.Channel.ChannelType`]: new dbus.Variant('s', `${TP}.Channel.Type.Text`), [`${TP}.Channel.TargetID`]: new dbus.Variant('s', 'bob'), [`${TP}.Channel.TargetHandleType`]: new dbus.Variant('u', 1) };
        [channel] = (await c.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [request])) as [string];
        await c.call(name, channel, `${TP}.Channel.Type.Text`, 'Send', 'us', [0, 'still pending']);
      }
    }
    d.child.kill(signal);
    expect(await within(d.exited, 5000, `exit after ${signal}`)).toBe(0);
    const seen = () => c.signals.filter((s) => ['Closed', 'StatusChanged'].includes(s.member)).map((s) => `${s.path} ${s.member} ${JSON.stringify(s.body)}`);
    for (const path of paths) await c.waitForSignal((s) => s.path === path && s.member === 'StatusChanged' && s.body[0] === 2);
    const order = seen();
    const closed = order.indexOf(`${channel} Closed []`);
    expect(closed, order.join('\n')).toBeGreaterThanOrEqual(0);
    for (const path of paths) {
      expect(order.filter((line) => line.startsWith(`${path} StatusChanged [2,`))).toEqual([`${path} StatusChanged [2,1]`]);
    }
    expect(closed).toBeLessThan(order.indexOf(`${paths[0]} StatusChanged [2,1]`));
    expect(d.stderr()).toBe('');
  });

  it('with CAVE_DEBUG_STATS set, writes its memory and live resources on SIGUSR2 and keeps serving', async () => {
    const b = await bus();
    const c = await BusClient.connect(b.address);
    cleanups.push(() => c.disconnect());
    const d = spawnDaemon(b.address, ['--persist'], { CAVE_DEBUG_STATS: '1' });
    cleanups.push(() => void (d.child.exitCode === null && d.child.kill('SIGKILL')));
    await untilOwned(c, CM);
    d.child.kill('SIGUSR2');
    for (let i = 0; i < 200 && !d.stderr().includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
    const stats = JSON.parse(/^telepathy-cave: stats (.*)$/m.exec(d.stderr())?.[1] ?? 'null') as { rss: number; heapUsed: number; resources: Record<string, number> };
    expect(stats.rss).toBeGreaterThan(stats.heapUsed);
    expect(Object.keys(stats.resources).length).toBeGreaterThan(0);
    expect(await c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'ListProtocols')).toEqual([['echo', 'email']]);
    d.child.kill('SIGTERM');
    expect(await within(d.exited, 5000, 'exit after SIGTERM')).toBe(0);
  });
});
