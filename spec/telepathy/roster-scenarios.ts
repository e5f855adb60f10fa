/**
 * Contract scenarios for the roster, aliases and presence echo: run unchanged on the in-memory
 * bus and the real daemon (appended to the list in scenarios.ts).
 */
import { expect } from 'vitest';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import type { Scenario, ScenarioEvent } from './scenario-client.js';

const CL = Iface.ContactList;

export const rosterScenarios: readonly Scenario[] = [
  {
    name: 'the roster holds the echo contacts by name; a requested contact accepts after the reply; contacts echo your presence',
    async run(h) {
      const client = await h.newClient();
      const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [
        'echo',
        { account: { signature: 's', value: 'scenario-roster' } },
      ])) as [string, string];
      const call = (iface: string, member: string, args: readonly unknown[] = []) => client.call(busName, path, iface, member, args);
      const isSignal = (e: ScenarioEvent, member: string) => e.kind === 'signal' && e.path === path && e.member === member;
      await call(Iface.Connection, 'Connect');
      await client.waitFor((e) => isSignal(e, 'ContactListStateChanged') && e.kind === 'signal' && e.args[0] === 3);
      const [attributes] = (await call(CL, 'GetContactListAttributes', [[Iface.Aliasing], false])) as [Record<string, Record<string, { value: unknown }>>];
      expect(Object.values(attributes).map((a) => a[`${Iface.Aliasing}/alias`]?.value)).toEqual(['Echo', 'Slow Echo', 'Broken Echo']);

      const [[bob]] = (await call(Iface.Connection, 'RequestHandles', [1, ['bob@cave.example']])) as [[number]];
      await call(CL, 'RequestSubscription', [[bob], 'hello']);
      const accepted = await client.waitFor((e) => isSignal(e, 'ContactsChanged') && e.kind === 'signal' && JSON.stringify(e.args[0]).includes('"hello"'));
      const reply = client.events().findIndex((e) => e.kind === 'reply' && e.member === 'RequestSubscription');
      expect(reply).toBeLessThan(client.events().indexOf(accepted));
      expect(accepted.kind === 'signal' && accepted.args[0]).toEqual({ [String(bob)]: [4, 3, 'hello'] });

      await call(Iface.SimplePresence, 'SetPresence', ['hidden', '']);
      const [presences] = (await call(Iface.SimplePresence, 'GetPresences', [[bob]])) as [Record<string, unknown>];
      expect(presences).toEqual({ [String(bob)]: [2, 'available', ''] });
      await call(Iface.Connection, 'Disconnect');
    },
  },
];
