/**
 * Contract scenarios for avatars: the echo contacts' pictures and the user's own, run unchanged
 * on the in-memory bus (with its in-memory store) and the real daemon (reading `data/avatars/`).
 */
import { expect } from 'vitest';
import { CM_BUS_NAME, CM_PATH, Iface, PROTOCOL_PATH } from '#telepathy/domain/names/names.js';
import type { Scenario, ScenarioEvent } from './scenario-client.js';

const AV = Iface.Avatars;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const avatarScenarios: readonly Scenario[] = [
  {
    name: "the echo contact's picture arrives after the RequestAvatars reply with its known token; your own picture is kept and announced",
    async run(h) {
      const client = await h.newClient();
      const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [
        'echo',
        { account: { signature: 's', value: 'scenario-avatars' } },
      ])) as [string, string];
      const call = (iface: string, member: string, args: readonly unknown[] = []) => client.call(busName, path, iface, member, args);
      const isSignal = (e: ScenarioEvent, member: string) => e.kind === 'signal' && e.path === path && e.member === member;
      expect(await client.getAll(CM_BUS_NAME, PROTOCOL_PATH, Iface.ProtocolAvatars)).toEqual(await client.getAll(busName, path, AV));
      await call(Iface.Connection, 'Connect');
      const [[echo]] = (await call(Iface.Connection, 'RequestHandles', [1, ['echo@cave.example']])) as [[number]];
      const [tokens] = (await call(AV, 'GetKnownAvatarTokens', [[1, echo]])) as [Record<string, string>];
      expect(tokens['1']).toBe('');
      expect(tokens[String(echo)]).toMatch(/^[0-9a-f]{16,}$/);

      await call(AV, 'RequestAvatars', [[echo]]);
      const retrieved = await client.waitFor((e) => isSignal(e, 'AvatarRetrieved'));
      const reply = client.events().findIndex((e) => e.kind === 'reply' && e.member === 'RequestAvatars');
      expect(reply).toBeLessThan(client.events().indexOf(retrieved));
      const [contact, token, bytes, type] = retrieved.kind === 'signal' ? retrieved.args : [];
      expect([contact, token, type]).toEqual([echo, tokens[String(echo)], 'image/png']);
      expect([...(bytes as Uint8Array).subarray(0, 8)]).toEqual(PNG_SIGNATURE);

      const [own] = (await call(AV, 'SetAvatar', [Uint8Array.from(PNG_SIGNATURE), 'image/png'])) as [string];
      const updated = await client.waitFor((e) => isSignal(e, 'AvatarUpdated'));
      expect(updated.kind === 'signal' && updated.args).toEqual([1, own]);
      expect(await call(AV, 'GetKnownAvatarTokens', [[1]])).toEqual([{ '1': own }]);
      await call(Iface.Connection, 'Disconnect');
    },
  },
];
