import dbus from 'dbus-next';
import { loadInterfaceDefinitions, signatureOf, type InterfaceDefinition } from '#telepathy/adapters/dbus-next/interface-definitions.js';
import { bodyFromWire, bodyToWire } from '#telepathy/adapters/dbus-next/wire-values.js';
import type { ScenarioClient, ScenarioEvent, ScenarioHarness, TypedValue } from '#spec/telepathy/scenario-client.js';

/**
 * The scenario suite's client over real D-Bus (dbus-next's low-level API). Signatures come from
 * the same `spec/telepathy` definitions the daemon uses; values follow the port's conventions,
 * converted by the adapter's own wire-value functions.
 */

const definitions: ReadonlyMap<string, InterfaceDefinition> = loadInterfaceDefinitions();
const standard: Record<string, string> = {
  'org.freedesktop.DBus.Properties.Get': 'ss',
  'org.freedesktop.DBus.Properties.GetAll': 's',
  'org.freedesktop.DBus.Introspectable.Introspect': '',
};

function inSignature(iface: string, member: string): string {
  const known = standard[`${iface}.${member}`];
  if (known !== undefined) return known;
  const method = definitions.get(iface)?.methods.find((m) => m.name === member);
  if (!method) throw new Error(`no method ${iface}.${member} in spec/telepathy`);
  return signatureOf(method.inArgs);
}

class DbusScenarioClient implements ScenarioClient {
  static async connect(address: string): Promise<DbusScenarioClient> {
    const bus = dbus.sessionBus({ busAddress: address });
    bus.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', reject);
    });
    const client = new DbusScenarioClient(bus);
    await bus.call(new dbus.Message({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'AddMatch', signature: 's', body: ["type='signal'"] }));
    return client;
  }

  private readonly seen: ScenarioEvent[] = [];
  private readonly pending = new Map<number, { path: string; member: string }>();
  private readonly wakers = new Set<() => void>();

  private constructor(readonly bus: dbus.MessageBus) {
    bus.on('message', (m: dbus.Message) => this.record(m));
  }

  private record(m: dbus.Message): void {
    if (m.type === dbus.MessageType.SIGNAL) {
      if (m.sender === 'org.freedesktop.DBus') return; // the bus's own signals are not the manager's
      this.seen.push({ kind: 'signal', path: m.path, interface: m.interface, member: m.member, args: bodyFromWire(m.signature ?? '', m.body) });
    } else {
      const call = this.pending.get(Number(m.replySerial));
      if (!call) return;
      this.pending.delete(Number(m.replySerial));
      this.seen.push({ kind: m.type === dbus.MessageType.ERROR ? 'error' : 'reply', ...call });
    }
    for (const wake of this.wakers) wake();
  }

  async call(destination: string, path: string, iface: string, member: string, args: readonly unknown[] = []): Promise<unknown[]> {
    const signature = inSignature(iface, member);
    const message = new dbus.Message({ destination, path, interface: iface, member, signature, body: bodyToWire(signature, args) });
    message.serial = this.bus.newSerial();
    this.pending.set(message.serial, { path, member });
    try {
      const reply = await this.bus.call(message);
      return bodyFromWire(reply?.signature ?? '', reply?.body ?? []);
    } catch (error) {
      const { type, text } = error as { type?: string; text?: string };
      throw Object.assign(new Error(text ?? String(error)), { dbusName: type });
    }
  }

  async getAll(destination: string, path: string, iface: string): Promise<Record<string, TypedValue>> {
    const [all] = await this.call(destination, path, 'org.freedesktop.DBus.Properties', 'GetAll', [iface]);
    return all as Record<string, TypedValue>;
  }

  events(): readonly ScenarioEvent[] {
    return this.seen;
  }

  waitFor(predicate: (event: ScenarioEvent) => boolean, timeoutMs = 5000): Promise<ScenarioEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.seen.find(predicate);
        if (!found) return false;
        this.wakers.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.wakers.delete(check);
        reject(new Error('the awaited event never arrived'));
      }, timeoutMs);
      if (!check()) this.wakers.add(check);
    });
  }

  disconnect(): void {
    this.bus.disconnect();
  }
}

/** Clients on a real bus where telepathy-cave runs (or is activatable). */
export function dbusScenarioHarness(address: string): ScenarioHarness & { closeClients(): void } {
  const clients: DbusScenarioClient[] = [];
  return {
    async newClient() {
      const client = await DbusScenarioClient.connect(address);
      clients.push(client);
      return client;
    },
    closeClients() {
      for (const client of clients.splice(0)) client.disconnect();
    },
  };
}
