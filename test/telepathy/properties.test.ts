/** Properties over random sessions of client operations on the in-memory bus (see support/random-session.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Iface } from '../../src/telepathy/domain/names.js';
import type { BusEvent, SignalEvent } from '../../sim/bus-events.js';
import { BusErrorNames } from '../../sim/bus-events.js';
import { runSession, sessionArbitrary, type SessionResult } from './support/random-session.js';

const RUNS = { numRuns: 300 };

type Parts = { content?: { value: unknown } }[];
const textOfParts = (parts: Parts) => parts.slice(1).map((p) => String(p.content?.value)).join('');
const signals = (log: readonly BusEvent[]) => log.filter((e): e is SignalEvent => e.kind === 'signal');
const announces = (e: SignalEvent, path: string) =>
  e.member === 'NewChannels' && (e.args[0] as [string][]).some(([p]) => p === path);

async function checkEvery(check: (result: SessionResult) => void): Promise<void> {
  await fc.assert(
    fc.asyncProperty(sessionArbitrary, async (batches) => check(await runSession(batches))),
    RUNS,
  );
}

describe('random client sessions', () => {
  it('answer every call exactly once, never with an internal error', async () => {
    await checkEvery(({ harness }) => {
      const log = harness.bus.log;
      const calls = log.filter((e) => e.kind === 'call').map((e) => e.serial);
      const answers = log.flatMap((e) => (e.kind === 'reply' || e.kind === 'error' ? [e.replyTo] : []));
      expect(answers.sort((a, b) => a - b)).toEqual(calls);
      expect(log.filter((e) => e.kind === 'error' && e.name === BusErrorNames.Failed)).toEqual([]);
    });
  });

  it('change connection status only in the legal order, and emit nothing from a connection after DISCONNECTED', async () => {
    const legal: Record<string, number[]> = { new: [1, 2], '1': [0, 2], '0': [2], '2': [] };
    await checkEvery(({ harness }) => {
      const state = new Map<string, string>();
      for (const e of signals(harness.bus.log)) {
        if (e.member === 'NewConnection') {
          expect(state.get(e.args[1] as string) ?? '2').toBe('2');
          state.set(e.args[1] as string, 'new');
          continue;
        }
        const connPath = [...state.keys()].find((p) => e.path === p || e.path.startsWith(`${p}/`));
        if (connPath === undefined) continue;
        expect(state.get(connPath), `${e.member} from ${e.path} after DISCONNECTED`).not.toBe('2');
        if (e.member === 'StatusChanged') {
          expect(legal[state.get(connPath)!]).toContain(e.args[0]);
          state.set(connPath, String(e.args[0]));
        }
      }
      expect([...state.values()].every((s) => s === '2')).toBe(true);
    });
  });

  it('reply to CreateChannel and EnsureChannel before announcing the new channel, immediately after', async () => {
    await checkEvery(({ harness }) => {
      const log = harness.bus.log;
      const calls = new Map(log.flatMap((e) => (e.kind === 'call' ? [[e.serial, e] as const] : [])));
      log.forEach((e, i) => {
        if (e.kind !== 'reply') return;
        const member = calls.get(e.replyTo)!.member;
        if (member !== 'CreateChannel' && member !== 'EnsureChannel') return;
        const [path, props] = (member === 'CreateChannel' ? e.values : e.values.slice(1)) as [string, unknown];
        const yours = member === 'CreateChannel' || e.values[0] === true;
        const next = log[i + 1];
        if (yours) expect(next).toMatchObject({ kind: 'signal', member: 'NewChannels', args: [[[path, props]]] });
        else expect(next?.kind === 'signal' && announces(next, path)).toBe(false);
        const callAt = log.indexOf(calls.get(e.replyTo)!);
        expect(log.slice(callAt, i).some((x) => x.kind === 'signal' && announces(x, path))).toBe(false);
      });
    });
  });

  it('echo every sent message exactly once, in order, with the same text, through both APIs', async () => {
    await checkEvery(({ harness }) => {
      const log = harness.bus.log;
      const calls = new Map(log.flatMap((e) => (e.kind === 'call' ? [[e.serial, e] as const] : [])));
      const byPath = new Map<string, { sentByCall: string[]; sent: string[]; oldSent: string[]; received: string[]; oldReceived: string[] }>();
      const of = (path: string) => {
        if (!byPath.has(path)) byPath.set(path, { sentByCall: [], sent: [], oldSent: [], received: [], oldReceived: [] });
        return byPath.get(path)!;
      };
      for (const e of log) {
        if (e.kind === 'reply') {
          const call = calls.get(e.replyTo)!;
          if (call.member === 'SendMessage') of(call.path).sentByCall.push(textOfParts(call.args[0] as Parts));
          if (call.member === 'Send') of(call.path).sentByCall.push(call.args[1] as string);
        }
        if (e.kind !== 'signal') continue;
        if (e.member === 'MessageSent') of(e.path).sent.push(textOfParts(e.args[0] as Parts));
        if (e.member === 'Sent') of(e.path).oldSent.push(e.args[2] as string);
        if (e.member === 'MessageReceived') of(e.path).received.push(textOfParts(e.args[0] as Parts));
        if (e.member === 'Received') of(e.path).oldReceived.push(e.args[5] as string);
      }
      for (const texts of byPath.values()) {
        expect(texts.sent).toEqual(texts.sentByCall);
        expect(texts.oldSent).toEqual(texts.sentByCall);
        expect(texts.received).toEqual(texts.sentByCall);
        expect(texts.oldReceived).toEqual(texts.sentByCall);
      }
    });
  });

  it('end each channel life with exactly one Closed, then ChannelClosed right after it', async () => {
    await checkEvery(({ harness }) => {
      const log = signals(harness.bus.log);
      const paths = new Set(log.flatMap((e) => (e.member === 'NewChannels' ? (e.args[0] as [string][]).map(([p]) => p) : [])));
      for (const path of paths) {
        const lives = log
          .map((e) => (announces(e, path) ? 'N' : e.member === 'Closed' && e.path === path ? 'C' : e.member === 'ChannelClosed' && e.args[0] === path ? 'X' : ''))
          .join('');
        expect(lives).toMatch(/^(NCX)+$/);
      }
      log.forEach((e, i) => {
        if (e.member === 'Closed') expect(log[i + 1]).toMatchObject({ member: 'ChannelClosed', args: [e.path] });
      });
    });
  });

  it('list in Channels exactly the channels announced and not closed', async () => {
    await checkEvery(({ channelChecks }) => {
      for (const { reported, live } of channelChecks) expect(reported).toEqual(live);
    });
  });

  it('show other clients the same thing whether or not a client vanished', async () => {
    await fc.assert(
      fc.asyncProperty(sessionArbitrary, async (batches) => {
        const withVanish = await runSession(batches, true);
        const without = await runSession(batches, false);
        for (const index of [0, 1]) expect(withVanish.clients[index]!.received).toEqual(without.clients[index]!.received);
      }),
      RUNS,
    );
  });

  it('close every channel and connection on shutdown', async () => {
    await checkEvery(({ harness }) => {
      expect(harness.manager.liveConnections).toBe(0);
      expect(harness.service.exportedPaths.filter((p) => p.startsWith('/org/freedesktop/Telepathy/Connection/'))).toEqual([]);
      const owned = harness.bus.log.filter((e) => e.kind === 'name-owner' && e.name.startsWith(`${Iface.Connection}.`));
      const stillOwned = new Map<string, string | null>();
      for (const e of owned) if (e.kind === 'name-owner') stillOwned.set(e.name, e.owner);
      expect([...stillOwned.values()].every((owner) => owner === null)).toBe(true);
    });
  });
});
