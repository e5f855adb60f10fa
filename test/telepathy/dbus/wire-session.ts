/**
 * The random client sessions of support/random-session.ts, played against the real dbus-next
 * adapter on a private dbus-daemon: a connection manager served in this process, three clients
 * that record what arrives on their sockets, in order.
 */
import { DbusNextBus } from '#telepathy/adapters/dbus-next/dbus-next-bus.js';
import { loadInterfaceDefinitions, signatureOf } from '#telepathy/adapters/dbus-next/interface-definitions.js';
import { bodyToWire } from '#telepathy/adapters/dbus-next/wire-values.js';
import { systemTimer } from '#telepathy/adapters/system-timer/system-timer.js';
import { createConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { escapeAsIdentifier } from '#telepathy/domain/names/escape.js';
import { CM_BUS_NAME, CM_PATH, CONNECTION_BUS_NAME_PREFIX, CONNECTION_PATH_PREFIX, Iface } from '#telepathy/domain/names/names.js';
import { ACCOUNTS, CONTACTS, type Op } from '#test/telepathy/support/random-session.js';
import { textMessage, textRequest, tv } from '#test/telepathy/support/harness.js';
import { WireClient, type WireAnswer } from './wire-client.js';

const definitions = loadInterfaceDefinitions();
const inSignature = (iface: string, member: string) =>
  iface === 'org.freedesktop.DBus.Properties' ? 'ss' : signatureOf(definitions.get(iface)!.methods.find((m) => m.name === member)!.inArgs);

/** One call a client made: what, where, and how many events it had received when it made it. */
export interface SentCall {
  readonly member: string;
  readonly path: string;
  readonly seenBefore: number;
  readonly answer: WireAnswer;
}

/** What a session leaves to check: the server's unique name, and each client's calls and events. */
export interface WireSession {
  readonly server: string;
  readonly clients: { readonly wire: WireClient; readonly calls: SentCall[] }[];
}

const connectionOf = (index: number) => {
  const escaped = escapeAsIdentifier(ACCOUNTS[index]!.toLowerCase());
  return { busName: CONNECTION_BUS_NAME_PREFIX + escaped, path: CONNECTION_PATH_PREFIX + escaped };
};

/** Channel paths to target ids, as client 0 saw them announced and closed on one connection. */
function liveChannels(wire: WireClient, connPath: string): Map<string, string> {
  const live = new Map<string, string>();
  for (const e of wire.events) {
    if (e.kind !== 'signal' || e.path !== connPath) continue;
    if (e.member === 'NewChannels') {
      for (const [path, props] of e.body[0] as [string, Record<string, { value: unknown }>][]) live.set(path, String(props[`${Iface.Channel}.TargetID`]!.value));
    } else if (e.member === 'ChannelClosed') live.delete(e.body[0] as string);
  }
  return live;
}

/** Play `batches` on a fresh manager served on `address`; the caller checks and then calls `end`. */
export async function runWireSession(address: string, batches: Op[][]): Promise<WireSession & { end(): Promise<void> }> {
  const bus = await DbusNextBus.connect({ address, problem: (line) => process.stderr.write(`wire session: ${line}\n`) });
  // As the daemon: the echo arrives a moment after the reply, on Node's timers.
  const manager = createConnectionManager(bus, { clock: { now: () => Date.now() }, timer: systemTimer });
  bus.serve(manager);
  await manager.start();
  const clients = await Promise.all([0, 1, 2].map(async () => ({ wire: await WireClient.connect(address), calls: [] as SentCall[] })));
  let leaverGone = false;

  const send = async (index: number, destination: string, path: string, iface: string, member: string, args: unknown[] = []) => {
    const c = clients[index]!;
    const signature = inSignature(iface, member);
    const seenBefore = c.wire.events.length;
    const answer = await c.wire.call(destination, path, iface, member, signature, bodyToWire(signature, args));
    c.calls.push({ member, path, seenBefore, answer });
    return answer;
  };
  const perform = async (op: Op): Promise<unknown> => {
    if (op.kind === 'vanish') {
      if (!leaverGone) clients[op.client]!.wire.disconnect();
      leaverGone = true;
      return;
    }
    // Real time passes: echoes due by then arrive.
    if (op.kind === 'wait') return new Promise((resolve) => setTimeout(resolve, op.ms));
    if (op.client === 2 && leaverGone) return;
    // Room operations stay on the memory bus's property (test/telepathy/properties.test.ts); here
    // the adapter's reply-then-signals ordering is what is checked, the same for every interface.
    if (!('contact' in op) && op.kind !== 'request' && op.kind !== 'connect' && op.kind !== 'disconnect' && op.kind !== 'channels') return;
    const conn = connectionOf(op.account);
    const call = (iface: string, member: string, args: unknown[] = []) => send(op.client, conn.busName, conn.path, iface, member, args);
    switch (op.kind) {
      case 'request':
        return send(op.client, CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', ['echo', { account: tv('s', ACCOUNTS[op.account]) }]);
      case 'connect':
        return call(Iface.Connection, 'Connect');
      case 'disconnect':
        return call(Iface.Connection, 'Disconnect');
      case 'channels':
        return call('org.freedesktop.DBus.Properties', 'Get', [Iface.Requests, 'Channels']);
      case 'create':
      case 'ensure':
        return call(Iface.Requests, op.kind === 'create' ? 'CreateChannel' : 'EnsureChannel', [textRequest({ id: CONTACTS[op.contact] })]);
    }
    const target = CONTACTS[op.contact]!.toLowerCase();
    let path = [...liveChannels(clients[0]!.wire, conn.path)].find(([, id]) => id === target)?.[0];
    if (path === undefined && (op.kind === 'send' || op.kind === 'sendMessage')) {
      const answer = await call(Iface.Requests, 'EnsureChannel', [textRequest({ id: target })]);
      path = answer.error ? undefined : (answer.body[1] as string);
    }
    if (path === undefined) return;
    const onChannel = (iface: string, member: string, args: unknown[] = []) => send(op.client, conn.busName, path, iface, member, args);
    switch (op.kind) {
      case 'close':
        return onChannel(Iface.Channel, 'Close');
      case 'destroy':
        return onChannel(Iface.Destroyable, 'Destroy');
      case 'clear':
        return onChannel(Iface.Text, 'ListPendingMessages', [true]);
      case 'sendMessage':
        return onChannel(Iface.Messages, 'SendMessage', [textMessage(op.text), op.flags ?? 0]);
      case 'typing':
        return onChannel(Iface.ChatState, 'SetChatState', [op.state]);
      case 'send':
        return onChannel(Iface.Text, 'Send', [0, op.text]);
      case 'ack':
        return onChannel(Iface.Text, 'AcknowledgePendingMessages', [[op.id]]);
    }
  };

  for (const index of ACCOUNTS.keys()) {
    await perform({ kind: 'request', client: 0, account: index });
    await perform({ kind: 'connect', client: 0, account: index });
  }
  for (const batch of batches) {
    await Promise.allSettled(batch.filter((op) => op.kind !== 'vanish').map(perform));
    await Promise.allSettled(batch.filter((op) => op.kind === 'vanish').map(perform));
    // A round trip after the batch: every signal it caused has reached client 0 by the reply.
    await send(0, CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'ListProtocols');
  }
  const end = async () => {
    await manager.shutdown();
    const closed = new Promise<void>((resolve) => bus.onClose(() => resolve()));
    bus.disconnect();
    await closed;
    for (const c of clients) c.wire.disconnect();
  };
  return { server: bus.uniqueName, clients, end };
}
