/**
 * Contract scenarios for echo rooms and room lists, written only against {@link ScenarioClient}
 * like those in scenarios.ts (which lists them too), so they run on both buses.
 */
import { expect } from 'vitest';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import type { Scenario, ScenarioClient, ScenarioEvent, TypedValue } from './scenario-client.js';

const CH = Iface.Channel;
const tv = (signature: string, value: unknown): TypedValue => ({ signature, value });
type SignalEvent = Extract<ScenarioEvent, { kind: 'signal' }>;
const isSignal = (e: ScenarioEvent, path: string, member: string): e is SignalEvent => e.kind === 'signal' && e.path === path && e.member === member;
const signalsFrom = (client: ScenarioClient, path: string) => client.events().flatMap((e) => (e.kind === 'signal' && e.path === path ? [e.member] : []));

async function connect(client: ScenarioClient, account: string) {
  const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', ['echo', { account: tv('s', account) }])) as [string, string];
  const call = (iface: string, member: string, args: readonly unknown[] = []) => client.call(busName, path, iface, member, args);
  await call(Iface.Connection, 'Connect');
  await client.waitFor((e) => isSignal(e, path, 'StatusChanged') && e.args[0] === 0);
  return { busName, path, call };
}

const roomRequest = (id: string) => ({ [`${CH}.ChannelType`]: tv('s', Iface.Text), [`${CH}.TargetHandleType`]: tv('u', 2), [`${CH}.TargetID`]: tv('s', id) });
const message = (text: string) => [{}, { 'content-type': tv('s', 'text/plain'), content: tv('s', text) }];

export const roomScenarios: readonly Scenario[] = [
  {
    name: 'a room is joined: NewChannels after the reply, then you and the echo members, who each echo what you say',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-room');
      const [path, props] = (await conn.call(Iface.Requests, 'CreateChannel', [roomRequest('Lobby')])) as [string, Record<string, TypedValue>];
      expect(props).toMatchObject({ [`${CH}.TargetHandleType`]: tv('u', 2), [`${CH}.TargetID`]: tv('s', 'lobby') });
      const joined = await client.waitFor((e) => isSignal(e, path, 'MembersChangedDetailed'));
      const events = client.events();
      const reply = events.findIndex((e) => e.kind === 'reply' && e.member === 'CreateChannel');
      const announced = events.findIndex((e) => isSignal(e, conn.path, 'NewChannels'));
      // Members arrive after the room is announced, and before any of them says anything.
      expect(reply).toBeGreaterThanOrEqual(0);
      expect([reply, announced, events.indexOf(joined)]).toEqual([reply, announced, events.indexOf(joined)].sort((a, b) => a - b));
      const group = await client.getAll(conn.busName, path, Iface.Group);
      const [self, ...echoes] = group['Members']!.value as number[];
      expect((joined as SignalEvent).args[0]).toEqual([self, ...echoes]);
      expect(Object.values(group['MemberIdentifiers']!.value as object)).toEqual(['scenario-room', 'anna', 'bob', 'otto']);
      await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [message('hello, room'), 0]);
      for (const echo of echoes) {
        await client.waitFor((e) => isSignal(e, path, 'MessageReceived') && ((e.args[0] as Record<string, TypedValue>[])[0]!['message-sender']!.value === echo));
      }
      expect(client.events().filter((e) => isSignal(e, path, 'MessageReceived'))).toHaveLength(echoes.length);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'a room has a subject that SetSubject changes, and RemoveMembers on yourself leaves it',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-subject');
      const [path] = (await conn.call(Iface.Requests, 'CreateChannel', [roomRequest('canyon')])) as [string];
      expect((await client.getAll(conn.busName, path, Iface.Subject2))['Subject']).toEqual(tv('s', 'Hello? hello? hello?'));
      await client.call(conn.busName, path, Iface.Subject2, 'SetSubject', ['echo, echo']);
      const changed = await client.waitFor((e) => isSignal(e, path, 'PropertiesChanged'));
      expect((changed as SignalEvent).args[0]).toBe(Iface.Subject2);
      expect((changed as SignalEvent).args[1]).toMatchObject({ Subject: tv('s', 'echo, echo'), Actor: tv('s', 'scenario-subject') });
      expect((await client.getAll(conn.busName, path, Iface.Subject2))['Subject']).toEqual(tv('s', 'echo, echo'));
      const [self] = (await client.call(conn.busName, path, Iface.Group, 'GetSelfHandle')) as [number];
      await client.call(conn.busName, path, Iface.Group, 'RemoveMembers', [[self], 'bye']);
      await client.waitFor((e) => isSignal(e, conn.path, 'ChannelClosed') && e.args[0] === path);
      expect(signalsFrom(client, path).slice(-3)).toEqual(['MembersChangedDetailed', 'MembersChanged', 'Closed']);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'a room list lists the echo rooms, whose handles are room handles',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-roomlist');
      const request = { [`${CH}.ChannelType`]: tv('s', Iface.RoomList), [`${CH}.TargetHandleType`]: tv('u', 0) };
      const [path] = (await conn.call(Iface.Requests, 'CreateChannel', [request])) as [string];
      await client.call(conn.busName, path, Iface.RoomList, 'ListRooms');
      await client.waitFor((e) => isSignal(e, path, 'ListingRooms') && e.args[0] === false);
      expect(signalsFrom(client, path)).toEqual(['ListingRooms', 'GotRooms', 'ListingRooms']);
      const got = client.events().find((e) => isSignal(e, path, 'GotRooms')) as SignalEvent;
      const rooms = got.args[0] as [number, string, Record<string, TypedValue>][];
      expect(rooms.map(([, , info]) => info['handle-name'])).toEqual([tv('s', 'lobby'), tv('s', 'canyon')]);
      expect(await conn.call(Iface.Connection, 'InspectHandles', [2, rooms.map(([handle]) => handle)])).toEqual([['lobby', 'canyon']]);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
];
