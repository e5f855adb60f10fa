/** A connection manager with the `email` protocol on an in-memory bus and an in-memory mail network. */
import { createConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import type { SignalEvent } from '#sim/telepathy/bus-events.js';
import { MemoryBus } from '#sim/telepathy/memory-bus.js';
import { MemoryMailNetwork } from '#sim/telepathy/email/memory-mail-network.js';
import { tv, type Conn } from '#test/telepathy/support/harness.js';

export const ME = { address: 'me@cave.test', password: 'me-Secret-7d1f' };
export const ALICE = { address: 'alice@cave.test', password: 'alice-Secret-93ab' };

/** Let promises and the mail network's awaits run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

export async function startEmailHarness() {
  const bus = new MemoryBus();
  const service = bus.service();
  const network = new MemoryMailNetwork();
  network.addUser(ME.address, ME.password);
  network.addUser(ALICE.address, ALICE.password);
  // Each call a new counter value in its first bytes: Message-IDs never repeat, however many mails a test sends.
  let n = 0;
  const randomBytes = (size: number) => {
    n++;
    return Uint8Array.from({ length: size }, (_, i) => (i < 4 ? n >>> (8 * i) : i) & 255);
  };
  const manager = createConnectionManager(service, { clock: { now: () => 1_700_000_000_000 }, mail: { network, randomBytes } });
  service.serve(manager);
  await manager.start();
  const client = bus.client();
  const signals = (member?: string): SignalEvent[] =>
    bus.log.filter((e): e is SignalEvent => e.kind === 'signal' && (member === undefined || e.member === member));
  return { bus, network, manager, client, signals };
}

/** Parameters of the `me` account, with `password` replaced when given. */
export function meParameters(password = ME.password) {
  return { account: tv('s', 'Me@Cave.Test'), password: tv('s', password), 'imap-server': tv('s', 'localhost') };
}

export async function requestEmail(client: ReturnType<MemoryBus['client']>, parameters = meParameters()): Promise<Conn> {
  const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', ['email', parameters])) as [string, string];
  return { busName, path, call: (iface, member, args = []) => client.call(busName, path, iface, member, args) };
}
