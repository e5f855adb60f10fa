import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { CM, spawnDaemon, within, type DaemonProcess } from './daemon-process.js';

/** The built telepathy-cave running on a private bus of its own, with a client on that bus. */
export interface RunningDaemon {
  readonly bus: PrivateBus;
  readonly client: BusClient;
  readonly daemon: DaemonProcess;
  /** SIGTERM, wait for the exit (5 s at most), then close the client and the bus; the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the daemon (`--persist` by default) and waits until it owns the manager's name. */
export async function startRunningDaemon(args: string[] = ['--persist']): Promise<RunningDaemon> {
  const bus = await startPrivateBus();
  const client = await BusClient.connect(bus.address);
  const daemon = spawnDaemon(bus.address, args);
  for (let i = 0; i < 200 && !(await client.ownerOf(CM)); i++) await new Promise((r) => setTimeout(r, 25));
  const stop = async () => {
    daemon.child.kill('SIGTERM');
    const code = await within(daemon.exited, 5000, 'daemon exit');
    client.disconnect();
    await bus.stop();
    return code;
  };
  return { bus, client, daemon, stop };
}
