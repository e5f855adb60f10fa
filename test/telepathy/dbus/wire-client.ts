import dbus from 'dbus-next';

/**
 * A D-Bus client that records everything it receives, replies and signals alike, in the order
 * they arrive on its socket: the order a real client observes.
 */

const { Message, MessageType } = dbus;

/** One message as it arrived. */
export type WireEvent = { readonly sender: string; readonly signature: string; readonly body: unknown[] } & (
  | { readonly kind: 'reply' | 'error'; readonly replyTo: number; readonly name?: string }
  | { readonly kind: 'signal'; readonly path: string; readonly interface: string; readonly member: string }
);

/** The answer to one call: its serial, and its body or its error's name. */
export interface WireAnswer {
  readonly serial: number;
  readonly body: unknown[];
  readonly error?: string;
}

export class WireClient {
  static async connect(address: string): Promise<WireClient> {
    const bus = dbus.sessionBus({ busAddress: address });
    bus.on('error', () => {}); // the bus may end before the client does
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', reject);
    });
    const client = new WireClient(bus);
    await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', ["type='signal'"]);
    client.events.length = 0;
    return client;
  }

  /** Everything received, in arrival order. */
  readonly events: WireEvent[] = [];

  private constructor(readonly bus: dbus.MessageBus) {
    bus.on('message', (m: dbus.Message) => {
      const common = { sender: m.sender, signature: m.signature ?? '', body: m.body };
      if (m.type === MessageType.SIGNAL) this.events.push({ ...common, kind: 'signal', path: m.path, interface: m.interface, member: m.member });
      else if (m.type === MessageType.METHOD_RETURN || m.type === MessageType.ERROR) {
        this.events.push({ ...common, kind: m.type === MessageType.ERROR ? 'error' : 'reply', replyTo: Number(m.replySerial), name: m.errorName });
      }
    });
  }

  /** Call a method; resolves (never rejects) to its serial and its reply body or error name. */
  async call(destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<WireAnswer> {
    const message = new Message({ destination, path, interface: iface, member, signature, body });
    const reply = this.bus.call(message); // gives the message its serial
    const serial = message.serial as number;
    return reply.then(
      (m) => ({ serial, body: m?.body ?? [] }),
      (error: { type?: string }) => ({ serial, body: [], error: error.type ?? String(error) }),
    );
  }

  disconnect(): void {
    this.bus.disconnect();
  }
}
