/**
 * Contract scenarios for `telepathy-cave`, written only against {@link ScenarioClient}: they run
 * unchanged on the in-memory bus and on the real daemon over D-Bus. Each scenario uses its own
 * accounts and disconnects what it opened, so scenarios can share one running manager.
 */
import { expect } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import { channelScenarios } from './channel-scenarios.js';
import { rosterScenarios } from './roster-scenarios.js';
import { avatarScenarios } from './avatar-scenarios.js';
import { roomScenarios } from './room-scenarios.js';
import type { Scenario, ScenarioClient, ScenarioEvent, TypedValue } from './scenario-client.js';

const CH = Iface.Channel;
const tv = (signature: string, value: unknown): TypedValue => ({ signature, value });

interface Conn {
  busName: string;
  path: string;
  call(iface: string, member: string, args?: readonly unknown[]): Promise<unknown[]>;
}

async function requestConnection(client: ScenarioClient, account: string): Promise<Conn> {
  const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [
    'echo',
    { account: tv('s', account) },
  ])) as [string, string];
  return { busName, path, call: (iface, member, args = []) => client.call(busName, path, iface, member, args) };
}

async function connect(client: ScenarioClient, account: string): Promise<Conn> {
  const conn = await requestConnection(client, account);
  await conn.call(Iface.Connection, 'Connect');
  await client.waitFor((e) => isSignal(e, conn.path, 'StatusChanged') && e.args[0] === 0);
  return conn;
}

function textRequest(id: string): Record<string, TypedValue> {
  return {
    [`${CH}.ChannelType`]: tv('s', Iface.Text),
    [`${CH}.TargetHandleType`]: tv('u', 1),
    [`${CH}.TargetID`]: tv('s', id),
  };
}

const message = (text: string) => [{}, { 'content-type': tv('s', 'text/plain'), content: tv('s', text) }];

function isSignal(e: ScenarioEvent, path: string, member: string): e is Extract<ScenarioEvent, { kind: 'signal' }> {
  return e.kind === 'signal' && e.path === path && e.member === member;
}

type SignalEvent = Extract<ScenarioEvent, { kind: 'signal' }>;

/** The first signal `member` from `path` that satisfies `where`, waiting for it if needed. */
async function signal(client: ScenarioClient, path: string, member: string, where: (e: SignalEvent) => boolean = () => true): Promise<SignalEvent> {
  return (await client.waitFor((e) => isSignal(e, path, member) && where(e))) as SignalEvent;
}

const isDeepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const isReply = (e: ScenarioEvent, path: string, member: string) => e.kind === 'reply' && e.path === path && e.member === member;

/** Index of the first event matching `predicate` (fails the scenario when there is none). */
function indexOf(client: ScenarioClient, predicate: (e: ScenarioEvent) => boolean, what: string): number {
  const index = client.events().findIndex(predicate);
  expect(index, `${what} was received`).toBeGreaterThanOrEqual(0);
  return index;
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: { dbusName?: string }) => String(error.dbusName),
  );
}

async function createChannel(conn: Conn, id: string): Promise<[string, Record<string, TypedValue>]> {
  return (await conn.call(Iface.Requests, 'CreateChannel', [textRequest(id)])) as [string, Record<string, TypedValue>];
}

export const scenarios: readonly Scenario[] = [
  {
    name: 'a client requests a connection and finds it disconnected, under the spec names',
    async run(h) {
      const client = await h.newClient();
      const protocols = (await client.getAll(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager))['Protocols'];
      expect(Object.keys(protocols!.value as object)).toContain('echo'); // and email, where the manager has a mail network
      const conn = await requestConnection(client, 'Scenario.Request@example.com');
      expect(conn.busName).toBe('org.freedesktop.Telepathy.Connection.cave.echo.scenario_2erequest_40example_2ecom');
      expect(conn.path).toBe('/org/freedesktop/Telepathy/Connection/cave/echo/scenario_2erequest_40example_2ecom');
      await client.waitFor((e) => isSignal(e, CM_PATH, 'NewConnection') && e.args[1] === conn.path);
      const props = await client.getAll(conn.busName, conn.path, Iface.Connection);
      expect(props['Status']).toEqual(tv('u', 2));
      expect(props['SelfID']).toEqual(tv('s', 'scenario.request@example.com'));
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'a connection connects: CONNECTING then CONNECTED, with its contacts and presence',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-connect');
      const statuses = client.events().flatMap((e) => (isSignal(e, conn.path, 'StatusChanged') ? [e.args[0]] : []));
      expect(statuses).toEqual([1, 0]);
      const props = await client.getAll(conn.busName, conn.path, Iface.Connection);
      expect(props).toMatchObject({ Status: tv('u', 0), HasImmortalHandles: tv('b', true) });
      expect(await conn.call(Iface.Connection, 'GetInterfaces')).toEqual([[Iface.Requests, Iface.Contacts, Iface.SimplePresence, Iface.ContactList, Iface.ContactGroups, Iface.Aliasing, Iface.Avatars]]);
      const [[bob]] = (await conn.call(Iface.Connection, 'RequestHandles', [1, ['Bob']])) as [[number]];
      const [attributes] = await conn.call(Iface.Contacts, 'GetContactAttributes', [[bob], [Iface.SimplePresence], false]);
      expect(attributes).toEqual({
        [String(bob)]: {
          [`${Iface.Connection}/contact-id`]: tv('s', 'bob'),
          [`${Iface.SimplePresence}/presence`]: tv('(uss)', [2, 'available', '']),
        },
      });
      const [self] = (await conn.call(Iface.Connection, 'GetSelfHandle')) as [number];
      expect(await conn.call(Iface.SimplePresence, 'GetPresences', [[self]])).toEqual([{ [String(self)]: [2, 'available', ''] }]);
      // What Mission Control does once connected: without the answer it never settles the presence.
      await conn.call(Iface.SimplePresence, 'SetPresence', ['away', 'brb']);
      await signal(client, conn.path, 'PresencesChanged', (e) => isDeepEqual(e.args[0], { [String(self)]: [3, 'away', 'brb'] }));
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'a created channel is announced after the reply, and SendMessage comes straight back',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-echo');
      const [path, props] = await createChannel(conn, 'bob');
      expect(props[`${CH}.Interfaces`]).toEqual(tv('as', [Iface.Messages, Iface.Destroyable, Iface.ChatState]));
      await client.waitFor((e) => isSignal(e, conn.path, 'NewChannels'));
      expect(indexOf(client, (e) => isReply(e, conn.path, 'CreateChannel'), 'the reply')).toBeLessThan(
        indexOf(client, (e) => isSignal(e, conn.path, 'NewChannels'), 'NewChannels'),
      );
      const [token] = await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [message('hello, cave'), 0]);
      const received = await signal(client, path, 'MessageReceived');
      const [header, body] = received.args[0] as Record<string, TypedValue>[];
      expect(header).toMatchObject({ 'message-sender-id': tv('s', 'bob'), 'message-type': tv('u', 0) });
      expect(body).toEqual({ 'content-type': tv('s', 'text/plain'), content: tv('s', 'hello, cave') });
      const sentAt = indexOf(client, (e) => isSignal(e, path, 'MessageSent') && e.args[2] === token, 'MessageSent');
      expect(indexOf(client, (e) => isReply(e, path, 'SendMessage'), 'the reply')).toBeLessThan(sentAt);
      // The echo is the contact's reply: it arrives after the sender's own MessageSent.
      expect(sentAt).toBeLessThan(client.events().indexOf(received));
      const id = (header!['pending-message-id'] as TypedValue).value;
      expect((await client.getAll(conn.busName, path, Iface.Messages))['PendingMessages']!.value).toHaveLength(1);
      await client.call(conn.busName, path, Iface.Text, 'AcknowledgePendingMessages', [[id]]);
      await client.waitFor((e) => isSignal(e, path, 'PendingMessagesRemoved'));
      expect((await client.getAll(conn.busName, path, Iface.Messages))['PendingMessages']!.value).toEqual([]);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'the old Text API: Send, then Sent and Received with the same text',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-send');
      const [path] = await createChannel(conn, 'carol');
      await client.call(conn.busName, path, Iface.Text, 'Send', [0, 'old school']);
      const received = await signal(client, path, 'Received');
      expect(received.args[5]).toBe('old school');
      expect(indexOf(client, (e) => isSignal(e, path, 'Sent'), 'Sent')).toBeLessThan(client.events().indexOf(received));
      const [pending] = (await client.call(conn.busName, path, Iface.Text, 'ListPendingMessages', [true])) as [unknown[][]];
      expect(pending.map((m) => m[5])).toEqual(['old school']);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'EnsureChannel returns the existing channel with Yours=false and announces nothing',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-ensure');
      const [yours, path] = await conn.call(Iface.Requests, 'EnsureChannel', [textRequest('dave')]);
      expect(yours).toBe(true);
      await client.waitFor((e) => isSignal(e, conn.path, 'NewChannels'));
      const [again, samePath] = await conn.call(Iface.Requests, 'EnsureChannel', [textRequest('Dave')]);
      expect([again, samePath]).toEqual([false, path]);
      const [channels] = (await conn.call('org.freedesktop.DBus.Properties', 'Get', [Iface.Requests, 'Channels'])) as [TypedValue];
      expect((channels.value as [string][]).map(([p]) => p)).toEqual([path]);
      await conn.call(Iface.Connection, 'Disconnect');
      expect(client.events().filter((e) => isSignal(e, conn.path, 'NewChannels'))).toHaveLength(1);
    },
  },
  {
    name: 'closing a channel with unacknowledged messages brings it back as an incoming channel',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-respawn');
      const [path] = await createChannel(conn, 'erin');
      await client.call(conn.busName, path, Iface.Text, 'Send', [0, 'unread']);
      await client.waitFor((e) => isSignal(e, path, 'Received'));
      await client.call(conn.busName, path, CH, 'Close');
      const announcements = () => client.events().filter((e) => isSignal(e, conn.path, 'NewChannels'));
      const reborn = await signal(client, conn.path, 'NewChannels', (e) => announcements().indexOf(e) === 1);
      const [[rebornPath, props]] = reborn.args[0] as [string, Record<string, TypedValue>][] as [[string, Record<string, TypedValue>]];
      expect(rebornPath).toBe(path);
      expect(props).toMatchObject({ [`${CH}.Requested`]: tv('b', false), [`${CH}.InitiatorID`]: tv('s', 'erin') });
      const closed = indexOf(client, (e) => isSignal(e, path, 'Closed'), 'Closed');
      const channelClosed = indexOf(client, (e) => isSignal(e, conn.path, 'ChannelClosed') && e.args[0] === path, 'ChannelClosed');
      expect(closed).toBeLessThan(channelClosed);
      expect(channelClosed).toBeLessThan(client.events().indexOf(reborn));
      const [pending] = (await client.call(conn.busName, path, Iface.Text, 'ListPendingMessages', [false])) as [unknown[][]];
      expect(pending.map((m) => m[5])).toEqual(['unread']);
      await client.call(conn.busName, path, Iface.Destroyable, 'Destroy');
      expect(await errorName(client.call(conn.busName, path, CH, 'Close'))).toBe(ErrorNames.UnknownMethod);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'Disconnect closes every channel, then reports DISCONNECTED, then releases the name, then replies',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-disconnect');
      const [path] = await createChannel(conn, 'frank');
      await conn.call(Iface.Connection, 'Disconnect');
      const closed = indexOf(client, (e) => isSignal(e, path, 'Closed'), 'Closed');
      const channelClosed = indexOf(client, (e) => isSignal(e, conn.path, 'ChannelClosed'), 'ChannelClosed');
      const status = indexOf(client, (e) => isSignal(e, conn.path, 'StatusChanged') && e.args[0] === 2, 'StatusChanged(DISCONNECTED)');
      const reply = indexOf(client, (e) => isReply(e, conn.path, 'Disconnect'), 'the reply');
      expect([closed, channelClosed, status, reply]).toEqual([...[closed, channelClosed, status, reply]].sort((a, b) => a - b));
      expect(client.events().slice(status + 1).some((e) => e.kind === 'signal' && e.path.startsWith(conn.path))).toBe(false);
      expect(await errorName(conn.call(Iface.Connection, 'GetStatus'))).toBe('org.freedesktop.DBus.Error.ServiceUnknown');
    },
  },
  {
    name: 'bad input is answered with the spec errors and the manager keeps serving',
    async run(h) {
      const client = await h.newClient();
      const request = (protocol: string, parameters: Record<string, TypedValue>) =>
        errorName(client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [protocol, parameters]));
      expect(await request('irc', { account: tv('s', 'x') })).toBe(ErrorNames.NotImplemented);
      expect(await request('echo', {})).toBe(ErrorNames.InvalidArgument);
      expect(await request('echo', { account: tv('u', 1) })).toBe(ErrorNames.InvalidArgument);
      expect(await request('echo', { account: tv('s', 'x'), password: tv('s', 'y') })).toBe(ErrorNames.InvalidArgument);
      const conn = await requestConnection(client, 'scenario-errors');
      expect(await request('echo', { account: tv('s', 'Scenario-Errors') })).toBe(ErrorNames.NotAvailable);
      expect(await errorName(createChannel(conn, 'bob'))).toBe(ErrorNames.Disconnected);
      await conn.call(Iface.Connection, 'Connect');
      expect(await errorName(conn.call(Iface.Connection, 'InspectHandles', [1, [4242]]))).toBe(ErrorNames.InvalidHandle);
      const list = { ...textRequest('bob'), [`${CH}.TargetHandleType`]: tv('u', 3) };
      expect(await errorName(conn.call(Iface.Requests, 'CreateChannel', [list]))).toBe(ErrorNames.NotImplemented);
      const mismatch = { ...textRequest('bob'), [`${CH}.TargetHandle`]: tv('u', 1) };
      expect(await errorName(conn.call(Iface.Requests, 'CreateChannel', [mismatch]))).toBe(ErrorNames.InvalidArgument);
      const [path] = await createChannel(conn, 'bob');
      expect(await errorName(client.call(conn.busName, path, Iface.Messages, 'SendMessage', [[{}], 0]))).toBe(ErrorNames.InvalidArgument);
      await conn.call(Iface.Connection, 'Disconnect');
      expect((await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'ListProtocols'))[0]).toContain('echo');
    },
  },
  ...channelScenarios,
  ...rosterScenarios,
  ...avatarScenarios,
  ...roomScenarios,
];
