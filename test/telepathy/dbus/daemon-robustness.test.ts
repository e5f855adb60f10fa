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

  it('exits within a second, status 1, saying why, when the bus daemon is killed under a live connection', async () => {
    const b = await startPrivateBus();
    const c = await BusClient.connect(b.address);
    const d = daemon(b, ['--persist']);
    await untilOwned(c, CM);
    const [name, path] = (await c.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new dbus.Variant('s', 'loss@example') }])) as [string, string];
    await c.call(name, path, `${TP}.Connection`, 'Connect');
    c.disconnect();
    const killedAt = Date.now();
    await b.stop();
    expect(await within(d.exited, 5000, 'exit after bus loss')).toBe(1);
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(d.stderr()).toMatch(/^telepathy-cave: lost the D-Bus bus \(.+\); exiting$/m);
    expect(() => process.kill(d.child.pid!, 0)).toThrow(); // nothing left behind
  });
});
