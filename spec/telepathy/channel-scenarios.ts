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
];
