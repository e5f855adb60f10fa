import dbus from 'dbus-next';

/**
 * A plain D-Bus client for tests (dbus-next's low-level API, no proxies): it calls methods and
 * records every signal it sees, in arrival order.
 */

export interface SeenSignal {
  readonly sender: string;
  readonly path: string;
  readonly interface: string;
  readonly member: string;
  readonly body: unknown[];
}

export class BusClient {
  static async connect(address: string): Promise<BusClient> {
    const bus = dbus.sessionBus({ busAddress: address });
    bus.on('error', () => {}); // a test ending the bus first is not a failure of the client
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', reject);
    });
    const client = new BusClient(bus);
    await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', ["type='signal'"]);
    return client;
  }

  readonly signals: SeenSignal[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly bus: dbus.MessageBus) {
    bus.on('message', (m: dbus.Message) => {
      if (m.type !== dbus.MessageType.SIGNAL) return;
      this.signals.push({ sender: m.sender, path: m.path, interface: m.interface, member: m.member, body: m.body });
      for (const wake of this.waiters) wake();
    });
  }

  /** Call a method; resolves to its out-arguments, rejects with a DBusError (`.type` is its name). */
  async call(destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<unknown[]> {
    const reply = await this.bus.call(new dbus.Message({ destination, path, interface: iface, member, signature, body }));
    return reply?.body ?? [];
  }

  /** The error name a call fails with, or `no error`. */
  async errorOf(destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<string> {
    try {
      await this.call(destination, path, iface, member, signature, body);
      return 'no error';
    } catch (error) {
      return (error as { type?: string }).type ?? String(error);
    }
  }

  /** Wait until a signal matching `test` has been seen (maybe already), or fail after a while. */
  waitForSignal(test: (s: SeenSignal) => boolean, timeoutMs = 10_000): Promise<SeenSignal> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.signals.find(test);
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no such signal within ${timeoutMs} ms; saw ${this.signals.map((s) => s.member).join(', ')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Current owner of a bus name, or undefined. */
  async ownerOf(name: string): Promise<string | undefined> {
    try {
      const [owner] = await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'GetNameOwner', 's', [name]);
      return owner as string;
    } catch {
      return undefined;
    }
  }

  disconnect(): void {
    this.bus.disconnect();
  }
}
