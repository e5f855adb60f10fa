import dbus from 'dbus-next';
import { useFastMarshalling } from './fast-marshal.js';

/**
 * A small Telepathy chat client over dbus-next, as `telepathy-cave demo` and the benchmark use
 * it: sign in to an echo account, open a text channel to someone, send and collect the echoes.
 */

const TP = 'org.freedesktop.Telepathy';
const CM = `${TP}.ConnectionManager.cave`;
const CM_PATH = `/org/freedesktop/Telepathy/ConnectionManager/cave`;
const { Message, MessageType, Variant } = dbus;

/** An echo as the client sees it arrive. */
export interface ReceivedMessage {
  /** Pending-message id, to acknowledge it with. */
  readonly id: number;
  /** Who sent it (for an echo, the contact we wrote to). */
  readonly sender: string;
  /** The plain-text parts, joined. */
  readonly text: string;
}

type Waiter = (message: ReceivedMessage) => void;

/** A chat session with cave over one bus connection; one account signed in at a time. */
export class EchoChatClient {
  /** Connect to a bus and listen to everything cave says. */
  static async connect(address: string): Promise<EchoChatClient> {
    useFastMarshalling();
    const bus = dbus.sessionBus({ busAddress: address });
    bus.on('error', () => {}); // the end of the bus is seen through failed calls
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', (e: Error) => reject(new Error(`cannot connect to the D-Bus bus at ${address}: ${e.message}`)));
    });
    const client = new EchoChatClient(bus);
    await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', ["type='signal',interface='org.freedesktop.Telepathy.Channel.Interface.Messages',member='MessageReceived'"]);
    await client.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', ["type='signal',interface='org.freedesktop.Telepathy.Connection',member='StatusChanged'"]);
    return client;
  }

  /** Who is waiting for the next echo on each channel, oldest first. */
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly statusWaiters = new Map<string, (status: number) => void>();
  private connection: { busName: string; path: string } | undefined;

  private constructor(private readonly bus: dbus.MessageBus) {
    bus.on('message', (m: dbus.Message) => {
      if (m.type !== MessageType.SIGNAL) return;
      if (m.member === 'MessageReceived') this.received(m.path, m.body[0] as Record<string, InstanceType<typeof Variant>>[]);
      if (m.member === 'StatusChanged') this.statusWaiters.get(m.path)?.(m.body[0] as number);
    });
  }

  /** Call any method on the bus and resolve to the reply's body. */
  async call(destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<unknown[]> {
    const reply = await this.bus.call(new Message({ destination, path, interface: iface, member, signature, body }));
    return reply?.body ?? [];
  }

  /** RequestConnection (which activates cave if needed), then Connect and wait until connected. */
  async signIn(account: string): Promise<string> {
    const [busName, path] = (await this.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', account) }])) as [string, string];
    this.connection = { busName, path };
    const connected = new Promise<void>((resolve) => this.statusWaiters.set(path, (status) => status === 0 && resolve()));
    await this.call(busName, path, `${TP}.Connection`, 'Connect');
    await connected;
    const [self] = (await this.call(busName, path, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [`${TP}.Connection`, 'SelfID'])) as [InstanceType<typeof Variant>];
    return self.value as string;
  }

  /** A text channel to a contact; resolves to its object path. */
  async openChat(contact: string): Promise<string> {
    const { busName, path } = this.signedIn();
    const request = {
      [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Text`),
      [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1),
      [`${TP}.Channel.TargetID`]: new Variant('s', contact),
    };
    const [channel] = (await this.call(busName, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [request])) as [string];
    this.waiting.set(channel, []);
    return channel;
  }

  /** Send a text and resolve with the message that comes back. */
  async send(channel: string, text: string): Promise<ReceivedMessage> {
    const echo = new Promise<ReceivedMessage>((resolve) => this.waiting.get(channel)?.push(resolve));
    const parts = [{}, { 'content-type': new Variant('s', 'text/plain'), content: new Variant('s', text) }];
    await this.call(this.signedIn().busName, channel, `${TP}.Channel.Interface.Messages`, 'SendMessage', 'aa{sv}u', [parts, 0]);
    return echo;
  }

  /** Tell the channel these messages were seen, so they leave its pending list. */
  async acknowledge(channel: string, ids: readonly number[]): Promise<void> {
    await this.call(this.signedIn().busName, channel, `${TP}.Channel.Type.Text`, 'AcknowledgePendingMessages', 'au', [ids]);
  }

  /** Close a text channel and stop waiting for its echoes. */
  async closeChat(channel: string): Promise<void> {
    await this.call(this.signedIn().busName, channel, `${TP}.Channel`, 'Close');
    this.waiting.delete(channel);
  }

  /** Disconnect the connection and wait for its final status. */
  async signOut(): Promise<void> {
    const { busName, path } = this.signedIn();
    const disconnected = new Promise<void>((resolve) => this.statusWaiters.set(path, (status) => status === 2 && resolve()));
    await this.call(busName, path, `${TP}.Connection`, 'Disconnect');
    await disconnected;
    this.connection = undefined;
  }

  /** Drop the bus connection. */
  close(): void {
    this.bus.disconnect();
  }

  private signedIn(): { busName: string; path: string } {
    if (!this.connection) throw new Error('not signed in');
    return this.connection;
  }

  private received(channel: string, parts: Record<string, InstanceType<typeof Variant>>[]): void {
    const [header, ...body] = parts;
    const text = body.filter((p) => p['content-type']?.value === 'text/plain').map((p) => String(p.content?.value ?? '')).join('');
    const message = { id: Number(header?.['pending-message-id']?.value), sender: String(header?.['message-sender-id']?.value ?? ''), text };
    this.waiting.get(channel)?.shift()?.(message);
  }
}
