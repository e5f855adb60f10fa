/**
 * Contract scenarios for what a desktop's chat window relies on (issue #13): the old channel API,
 * and later typing, delivery reports and alternatives. Same rules as scenarios.ts: only
 * {@link ScenarioClient}, own accounts, everything disconnected at the end.
 */
import { expect } from 'vitest';
import { CM_BUS_NAME, CM_PATH, HandleType, Iface } from '#telepathy/domain/names/names.js';
import type { Scenario, ScenarioClient, ScenarioEvent, TypedValue } from './scenario-client.js';

const tv = (signature: string, value: unknown): TypedValue => ({ signature, value });
type SignalEvent = Extract<ScenarioEvent, { kind: 'signal' }>;

/** A connected connection for `account`, with a shorthand for calls on it. */
async function connect(client: ScenarioClient, account: string) {
  const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', ['echo', { account: tv('s', account) }])) as [string, string];
  const call = (iface: string, member: string, args: readonly unknown[] = []) => client.call(busName, path, iface, member, args);
  await call(Iface.Connection, 'Connect');
  await client.waitFor((e) => e.kind === 'signal' && e.path === path && e.member === 'StatusChanged' && e.args[0] === 0);
  return { busName, path, call };
}

/** The first signal `member` from `path` matching `where`, waiting for it if needed. */
export async function signalFrom(client: ScenarioClient, path: string, member: string, where: (e: SignalEvent) => boolean = () => true): Promise<SignalEvent> {
  return (await client.waitFor((e) => e.kind === 'signal' && e.path === path && e.member === member && where(e))) as SignalEvent;
}

/** A text channel to `id` through the old RequestChannel. */
async function oldChannel(conn: Awaited<ReturnType<typeof connect>>, id: string): Promise<{ path: string; handle: number }> {
  const [[handle]] = (await conn.call(Iface.Connection, 'RequestHandles', [HandleType.Contact, [id]])) as [number[]];
  const [path] = (await conn.call(Iface.Connection, 'RequestChannel', [Iface.Text, HandleType.Contact, handle!, true])) as [string];
  return { path, handle: handle! };
}

export const channelScenarios: readonly Scenario[] = [
  {
    name: 'the old channel API: RequestChannel answers, NewChannel follows NewChannels, ListChannels lists',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-old-api');
      const { path, handle } = await oldChannel(conn, 'frank');
      const announced = await signalFrom(client, conn.path, 'NewChannels');
      const old = await signalFrom(client, conn.path, 'NewChannel');
      expect(client.events().indexOf(announced)).toBeLessThan(client.events().indexOf(old));
      expect(old.args).toEqual([path, Iface.Text, HandleType.Contact, handle, true]);
      expect(await conn.call(Iface.Connection, 'ListChannels')).toEqual([[[path, Iface.Text, HandleType.Contact, handle]]]);
      expect((await oldChannel(conn, 'Frank')).path).toBe(path);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'delivery reports: Delivered when asked for, before the echo; Permanently_Failed with the message attached from a failing contact',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-reports');
      const hello = [{}, { 'content-type': tv('s', 'text/plain'), content: tv('s', 'report back') }];
      const { path } = await oldChannel(conn, 'grace');
      const [token] = await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [hello, 1]);
      const isReportOn = (e: SignalEvent) => (e.args[0] as Record<string, TypedValue>[])[0]!['message-type']?.value === 4;
      const delivered = await signalFrom(client, path, 'MessageReceived', isReportOn);
      expect((delivered.args[0] as Record<string, TypedValue>[])[0]).toMatchObject({ 'delivery-status': tv('u', 1), 'delivery-token': tv('s', token) });
      const echo = await signalFrom(client, path, 'MessageReceived', (e) => !isReportOn(e));
      expect(client.events().indexOf(delivered)).toBeLessThan(client.events().indexOf(echo));
      const failing = await oldChannel(conn, 'fail@example.com');
      const [lost] = await client.call(conn.busName, failing.path, Iface.Messages, 'SendMessage', [hello, 0]);
      const failed = await signalFrom(client, failing.path, 'MessageReceived');
      const header = (failed.args[0] as Record<string, TypedValue>[])[0]!;
      expect(header).toMatchObject({ 'message-type': tv('u', 4), 'delivery-status': tv('u', 3), 'delivery-token': tv('s', lost) });
      const original = header['delivery-echo']!.value as Record<string, TypedValue>[];
      expect(original[1]).toEqual(hello[1]);
      expect((await signalFrom(client, failing.path, 'SendError')).args[0]).toBe(2);
      await conn.call(Iface.Connection, 'Disconnect');
      expect(client.events().filter((e) => e.kind === 'signal' && e.path === failing.path && e.member === 'MessageReceived')).toHaveLength(1);
    },
  },
  {
    name: 'typing: the echo contact mirrors the chat state of the user, then turns active before its echo',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-typing');
      const { path, handle } = await oldChannel(conn, 'heidi');
      await client.call(conn.busName, path, Iface.ChatState, 'SetChatState', [4]);
      const mine = await signalFrom(client, path, 'ChatStateChanged', (e) => e.args[0] !== handle);
      const theirs = await signalFrom(client, path, 'ChatStateChanged', (e) => e.args[0] === handle);
      expect([mine.args[1], theirs.args[1]]).toEqual([4, 4]);
      expect(client.events().indexOf(mine)).toBeLessThan(client.events().indexOf(theirs));
      const message = [{}, { 'content-type': tv('s', 'text/plain'), content: tv('s', 'typed') }];
      await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [message, 0]);
      const active = await signalFrom(client, path, 'ChatStateChanged', (e) => e.args[0] === handle && e.args[1] === 2);
      const echo = await signalFrom(client, path, 'MessageReceived');
      expect(client.events().indexOf(active)).toBeLessThan(client.events().indexOf(echo));
      const all = await client.getAll(conn.busName, path, Iface.ChatState);
      expect(all['ChatStates']).toEqual(tv('a{uu}', { [String(mine.args[0])]: 4, [String(handle)]: 2 }));
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
  {
    name: 'alternatives: HTML with a plain-text alternative is sent and echoed as the plain text',
    async run(h) {
      const client = await h.newClient();
      const conn = await connect(client, 'scenario-alternatives');
      const { path } = await oldChannel(conn, 'ivan');
      const part = (type: string, content: string) => ({ alternative: tv('s', 'main'), 'content-type': tv('s', type), content: tv('s', content) });
      await client.call(conn.busName, path, Iface.Messages, 'SendMessage', [[{}, part('text/html', '<b>hi</b>'), part('text/plain', 'hi')], 0]);
      const sent = await signalFrom(client, path, 'MessageSent');
      const echo = await signalFrom(client, path, 'MessageReceived');
      const plain = [{ 'content-type': tv('s', 'text/plain'), content: tv('s', 'hi') }];
      expect((sent.args[0] as unknown[]).slice(1)).toEqual(plain);
      expect((echo.args[0] as unknown[]).slice(1)).toEqual(plain);
      await conn.call(Iface.Connection, 'Disconnect');
    },
  },
];
