/**
 * Random client sessions for property tests: batches of client operations (run concurrently
 * within a batch) against a connection manager on the in-memory bus, then a shutdown.
 */
import fc from 'fast-check';
import { escapeAsIdentifier } from '#telepathy/domain/names/escape.js';
import {
  CM_BUS_NAME,
  CM_PATH,
  CONNECTION_BUS_NAME_PREFIX,
  CONNECTION_PATH_PREFIX,
  Iface,
} from '#telepathy/domain/names/names.js';
import type { SimClient } from '#sim/telepathy/sim-client.js';
import { MemoryAvatarStore } from '#sim/telepathy/memory-avatar-store.js';
import { startHarness, textMessage, textRequest, tv, type Harness } from './harness.js';
import { performOnRoster, rosterOpArbitrary, type RosterOp } from './roster-ops.js';

export const ACCOUNTS = ['alice', 'Bob.Smith'] as const;
export const CONTACTS = ['Carol', 'alice', 'fail@example.com'] as const;
export const ROOMS = ['Lobby', 'attic'] as const;

export type Op =
  | { kind: 'request' | 'connect' | 'disconnect' | 'channels'; client: number; account: number }
  | { kind: 'create' | 'ensure' | 'close' | 'destroy' | 'clear'; client: number; account: number; contact: number }
  | { kind: 'sendMessage' | 'send'; client: number; account: number; contact: number; text: string; flags?: number }
  | { kind: 'typing'; client: number; account: number; contact: number; state: number }
  | { kind: 'ack'; client: number; account: number; contact: number; id: number }
  | { kind: 'createRoom' | 'ensureRoom' | 'leaveRoom' | 'closeRoom' | 'sendRoom' | 'listRooms'; client: number; account: number; room: number }
  | RosterOp
  | { kind: 'vanish'; client: number }
  /** Time passes on the manager's timer: echoes due by then arrive. */
  | { kind: 'wait'; client: number; ms: number };

const client = fc.integer({ min: 0, max: 2 });
const account = fc.integer({ min: 0, max: ACCOUNTS.length - 1 });
const contact = fc.integer({ min: 0, max: CONTACTS.length - 1 });
const room = fc.integer({ min: 0, max: ROOMS.length - 1 });
const roomKinds = fc.constantFrom('createRoom', 'ensureRoom', 'leaveRoom', 'closeRoom', 'sendRoom', 'sendRoom', 'listRooms');

export const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  // Disconnecting is rarer than (re)connecting, so sessions spend most of their time connected.
  { arbitrary: fc.record({ kind: fc.constantFrom('request', 'request', 'connect', 'connect', 'channels', 'disconnect'), client, account }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constantFrom('create', 'ensure', 'close', 'destroy', 'clear'), client, account, contact }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constantFrom('sendMessage', 'send'), client, account, contact, text: fc.string({ maxLength: 6 }), flags: fc.constantFrom(0, 1) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('typing'), client, account, contact, state: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('ack'), client, account, contact, id: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: roomKinds, client, account, room }), weight: 3 },
  { arbitrary: rosterOpArbitrary, weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('vanish'), client: fc.constant(2) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('wait'), client, ms: fc.constantFrom(1, 25, 100) }), weight: 3 },
) as fc.Arbitrary<Op>;

/** Sessions: a few batches of one to three concurrent operations. */
export const sessionArbitrary = fc.array(fc.array(opArbitrary, { minLength: 1, maxLength: 3 }), { minLength: 3, maxLength: 30, size: 'medium' });

export interface SessionResult {
  harness: Harness;
  clients: SimClient[];
  /** The Channels property of each connection as read after each batch, with what the log said was live then. */
  channelChecks: { reported: string[]; live: string[] }[];
}

const connectionOf = (index: number) => {
  const escaped = escapeAsIdentifier(ACCOUNTS[index]!.toLowerCase());
  return { busName: CONNECTION_BUS_NAME_PREFIX + escaped, path: CONNECTION_PATH_PREFIX + escaped };
};

/** Channel paths (to target ids) that the log shows announced and not closed since, per connection; read incrementally. */
export function channelTracker(harness: Harness): (connPath: string) => Map<string, string> {
  const live = new Map<string, Map<string, string>>();
  let read = 0;
  return (connPath) => {
    const log = harness.bus.log;
    for (; read < log.length; read++) {
      const event = log[read]!;
      if (event.kind !== 'signal') continue;
      if (!live.has(event.path)) live.set(event.path, new Map());
      const channels = live.get(event.path)!;
      if (event.member === 'NewChannels') {
        for (const [path, props] of event.args[0] as [string, Record<string, { value: unknown }>][]) {
          channels.set(path, String(props[`${Iface.Channel}.TargetID`]!.value));
        }
      } else if (event.member === 'ChannelClosed') channels.delete(event.args[0] as string);
    }
    return live.get(connPath) ?? new Map();
  };
}

const roomRequest = (id: string) => ({ ...textRequest({ id }), [`${Iface.Channel}.TargetHandleType`]: tv('u', 2) });
const roomListRequest = () => ({ [`${Iface.Channel}.ChannelType`]: tv('s', Iface.RoomList) });

/** Room operations: join (create or ensure), leave (RemoveMembers on yourself), close, send, list rooms. */
async function performOnRoom(
  op: Extract<Op, { room: number }>,
  c: SimClient,
  conn: { busName: string; path: string },
  liveChannels: (connPath: string) => Map<string, string>,
): Promise<unknown> {
  const call = (path: string, iface: string, member: string, args: unknown[] = []) => c.call(conn.busName, path, iface, member, args);
  const id = ROOMS[op.room]!.toLowerCase();
  if (op.kind === 'createRoom' || op.kind === 'ensureRoom') {
    return call(conn.path, Iface.Requests, op.kind === 'createRoom' ? 'CreateChannel' : 'EnsureChannel', [roomRequest(id)]);
  }
  if (op.kind === 'listRooms') {
    const [path] = (await call(conn.path, Iface.Requests, 'EnsureChannel', [roomListRequest()]).catch(() => [])) as [string?, string?];
    return path === undefined ? undefined : call(path, Iface.RoomList, 'ListRooms');
  }
  let path = [...liveChannels(conn.path)].find(([p, target]) => target === id && p.includes('/RoomChannel'))?.[0];
  if (path === undefined && op.kind === 'sendRoom') {
    path = await call(conn.path, Iface.Requests, 'EnsureChannel', [roomRequest(id)]).then(([, p]) => p as string, () => undefined);
  }
  if (path === undefined) return;
  if (op.kind === 'closeRoom') return call(path, Iface.Channel, 'Close');
  if (op.kind === 'sendRoom') return call(path, Iface.Messages, 'SendMessage', [textMessage(id), 0]);
  const [self] = await call(path, Iface.Group, 'GetSelfHandle');
  return call(path, Iface.Group, 'RemoveMembers', [[self], '']);
}

/** Run one session; with `vanishing` false, the vanish operations are left out but everything else is the same. */
export async function runSession(batches: Op[][], vanishing = true): Promise<SessionResult> {
  const harness = await startHarness({ avatars: new MemoryAvatarStore() });
  const clients = [harness.client, harness.bus.client(), harness.bus.client()];
  let leaverGone = false;
  const channelChecks: SessionResult['channelChecks'] = [];
  const liveChannels = channelTracker(harness);

  const perform = async (op: Op): Promise<unknown> => {
    if (op.kind === 'vanish') {
      leaverGone = true;
      if (vanishing) clients[op.client]!.vanish();
      return;
    }
    if (op.kind === 'wait') return harness.timer.advance(op.ms);
    // The leaver does nothing once it has gone, in both variants of a session.
    if (op.client === 2 && leaverGone) return;
    const c = clients[op.client]!;
    const conn = connectionOf(op.account);
    const call = (iface: string, member: string, args: unknown[] = []) => c.call(conn.busName, conn.path, iface, member, args);
    switch (op.kind) {
      case 'request':
        return c.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', ['echo', { account: tv('s', ACCOUNTS[op.account]) }]);
      case 'connect':
        return call(Iface.Connection, 'Connect');
      case 'disconnect':
        return call(Iface.Connection, 'Disconnect');
      case 'channels':
        return c.get(conn.busName, conn.path, Iface.Requests, 'Channels');
      case 'create':
      case 'ensure':
        return call(Iface.Requests, op.kind === 'create' ? 'CreateChannel' : 'EnsureChannel', [textRequest({ id: CONTACTS[op.contact] })]);
      case 'createRoom':
      case 'ensureRoom':
      case 'leaveRoom':
      case 'closeRoom':
      case 'sendRoom':
      case 'listRooms':
        return performOnRoom(op, c, conn, liveChannels);
    }
    if ('who' in op) return performOnRoster(op, c, conn);
    const target = CONTACTS[op.contact]!.toLowerCase();
    let path = [...liveChannels(conn.path)].find(([, id]) => id === target)?.[0];
    if (path === undefined && (op.kind === 'send' || op.kind === 'sendMessage')) {
      // As a chat client would: open the conversation before saying something.
      path = await call(Iface.Requests, 'EnsureChannel', [textRequest({ id: target })]).then(
        ([, channelPath]) => channelPath as string,
        () => undefined,
      );
    }
    if (path === undefined) return;
    const onChannel = (iface: string, member: string, args: unknown[] = []) => c.call(conn.busName, path, iface, member, args);
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

  // Every session starts with both accounts connected; the random operations take it from there.
  for (const index of ACCOUNTS.keys()) {
    await perform({ kind: 'request', client: 0, account: index });
    await perform({ kind: 'connect', client: 0, account: index });
  }
  for (const batch of batches) {
    // A client vanishes once the batch's calls are answered, so its own calls are the same in both variants.
    await Promise.allSettled(batch.filter((op) => op.kind !== 'vanish').map(perform));
    await Promise.allSettled(batch.filter((op) => op.kind === 'vanish').map(perform));
    for (const index of ACCOUNTS.keys()) {
      const conn = connectionOf(index);
      const reported = await harness.client.get(conn.busName, conn.path, Iface.Requests, 'Channels').then(
        (v) => (v.value as [string][]).map(([path]) => path).sort(),
        () => undefined,
      );
      if (reported) channelChecks.push({ reported, live: [...liveChannels(conn.path).keys()].sort() });
    }
  }
  await harness.manager.shutdown();
  return { harness, clients, channelChecks };
}
