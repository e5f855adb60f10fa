/**
 * Properties over random sessions of client operations on the in-memory bus (see
 * support/random-session.ts). Every invariant is checked on each of the same few hundred sessions;
 * a failure names the invariant and fast-check shrinks the session.
 */
import { isDeepStrictEqual, inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import type { BusEvent, SignalEvent } from '#sim/telepathy/bus-events.js';
import { BusErrorNames } from '#sim/telepathy/bus-events.js';
import { announced, chatStatesChangeAndFollowTheUser, deliveryReportsAnswerTheirMessages, fails, isReport } from '#test/telepathy/support/report-invariants.js';
import { runSession, sessionArbitrary, type SessionResult } from '#test/telepathy/support/random-session.js';

const RUNS = { numRuns: 300 };

/** Plain checks rather than `expect` in hot loops: thousands of events per session. */
function must(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
const same = (actual: unknown, expected: unknown, what: string) =>
  must(isDeepStrictEqual(actual, expected), `${what}: ${inspect(actual, { depth: 6 })} is not ${inspect(expected, { depth: 6 })}`);

type Parts = { content?: { value: unknown } }[];
const textOfParts = (parts: Parts) => parts.slice(1).map((p) => String(p.content?.value)).join('');
const signals = (log: readonly BusEvent[]) => log.filter((e): e is SignalEvent => e.kind === 'signal');
const announces = (e: SignalEvent, path: string) => e.member === 'NewChannels' && (e.args[0] as [string][]).some(([p]) => p === path);
const callsBySerial = (log: readonly BusEvent[]) =>
  new Map(log.flatMap((e) => (e.kind === 'call' ? [[e.serial, e] as const] : [])));

function everyCallAnsweredOnceWithoutInternalErrors({ harness }: SessionResult): void {
  const log = harness.bus.log;
  const calls = log.filter((e) => e.kind === 'call').map((e) => e.serial);
  const answers = log.flatMap((e) => (e.kind === 'reply' || e.kind === 'error' ? [e.replyTo] : []));
  same(answers.sort((a, b) => a - b), calls, 'answered calls');
  must(!log.some((e) => e.kind === 'error' && e.name === BusErrorNames.Failed), 'an internal error reached a client');
}

/** DISCONNECTED(new) → CONNECTING → CONNECTED → DISCONNECTED, and silence after the last one. */
function statusInLegalOrderAndSilenceAfterDisconnected({ harness }: SessionResult): void {
  const legal: Record<string, number[]> = { new: [1, 2], '1': [0, 2], '0': [2], '2': [] };
  const state = new Map<string, string>();
  for (const e of signals(harness.bus.log)) {
    if (e.member === 'NewConnection') {
      must((state.get(e.args[1] as string) ?? '2') === '2', `NewConnection for live ${String(e.args[1])}`);
      state.set(e.args[1] as string, 'new');
      continue;
    }
    const connPath = [...state.keys()].find((p) => e.path === p || e.path.startsWith(`${p}/`));
    if (connPath === undefined) continue;
    must(state.get(connPath) !== '2', `${e.member} from ${e.path} after DISCONNECTED`);
    if (e.member === 'StatusChanged') {
      must(legal[state.get(connPath)!]!.includes(e.args[0] as number), `status ${String(e.args[0])} after ${state.get(connPath)}`);
      state.set(connPath, String(e.args[0]));
    }
  }
  must([...state.values()].every((s) => s === '2'), 'a connection outlived shutdown');
}

function replyToChannelRequestsThenNewChannels({ harness }: SessionResult): void {
  const log = harness.bus.log;
  const calls = callsBySerial(log);
  log.forEach((e, i) => {
    if (e.kind !== 'reply') return;
    const call = calls.get(e.replyTo)!;
    if (call.member !== 'CreateChannel' && call.member !== 'EnsureChannel') return;
    const [path, props] = (call.member === 'CreateChannel' ? e.values : e.values.slice(1)) as [string, unknown];
    const yours = call.member === 'CreateChannel' || e.values[0] === true;
    const next = log[i + 1];
    if (yours) {
      must(next?.kind === 'signal' && next.member === 'NewChannels', `${call.member} reply not followed by NewChannels`);
      same((next as SignalEvent).args, [[[path, props]]], 'NewChannels after the reply');
    } else must(!(next?.kind === 'signal' && announces(next, path)), `existing ${path} announced again`);
    must(!log.slice(log.indexOf(call), i).some((x) => x.kind === 'signal' && announces(x, path)), `${path} announced before the reply`);
  });
}

/** Per channel, the texts of successful Send/SendMessage calls (in reply order) = each signal's texts. */
function everyMessageEchoedOnceInOrder({ harness }: SessionResult): void {
  const log = harness.bus.log;
  const calls = callsBySerial(log);
  const streams = new Map<string, Record<'byCall' | 'echoes' | 'failures' | 'MessageSent' | 'Sent' | 'MessageReceived' | 'Received' | 'SendError', string[]>>();
  const of = (path: string) => {
    if (!streams.has(path)) streams.set(path, { byCall: [], echoes: [], failures: [], MessageSent: [], Sent: [], MessageReceived: [], Received: [], SendError: [] });
    return streams.get(path)!;
  };
  const targets = new Map<string, string>();
  const sendText = (call: { member: string; args: readonly unknown[] }) => (call.member === 'Send' ? (call.args[1] as string) : textOfParts(call.args[0] as Parts));
  for (const e of log) {
    if (e.kind === 'reply') {
      const call = calls.get(e.replyTo)!;
      if (call.member !== 'SendMessage' && call.member !== 'Send') continue;
      const stream = of(call.path);
      stream.byCall.push(sendText(call));
      // A contact that cannot receive never echoes; every message to it fails instead.
      (fails(targets.get(call.path)) ? stream.failures : stream.echoes).push(sendText(call));
    }
    if (e.kind !== 'signal') continue;
    for (const [path, target] of announced(e)) targets.set(path, target);
    // Delivery reports are messages too, but not echoes: report-invariants.ts checks them.
    if (e.member === 'MessageSent' || (e.member === 'MessageReceived' && !isReport(e))) of(e.path)[e.member].push(textOfParts(e.args[0] as Parts));
    if (e.member === 'Sent') of(e.path).Sent.push(e.args[2] as string);
    if (e.member === 'Received' && e.args[3] !== 4) of(e.path).Received.push(e.args[5] as string);
    if (e.member === 'SendError') of(e.path).SendError.push(e.args[3] as string);
  }
  for (const { byCall, echoes, failures, ...emitted } of streams.values()) {
    const expected: Record<string, string[]> = { MessageSent: byCall, Sent: byCall, MessageReceived: echoes, Received: echoes, SendError: failures };
    for (const [member, texts] of Object.entries(emitted)) same(texts, expected[member], `${member} texts`);
  }
}

/** Per channel, the n-th echo (MessageReceived, Received) comes after the reply to the n-th send and its MessageSent/Sent. */
function echoAfterItsReplyAndMessageSent({ harness }: SessionResult): void {
  const log = harness.bus.log;
  const calls = callsBySerial(log);
  const counts = new Map<string, Record<string, number>>();
  const count = (path: string, name: string) => {
    const forPath = counts.get(path) ?? {};
    counts.set(path, forPath);
    forPath[name] = (forPath[name] ?? 0) + 1;
    if (name !== 'MessageReceived' && name !== 'Received') return;
    for (const before of ['reply', 'MessageSent', 'Sent']) must((forPath[before] ?? 0) >= forPath[name]!, `echo ${forPath[name]} on ${path} before ${before}`);
  };
  for (const e of log) {
    const call = e.kind === 'reply' ? calls.get(e.replyTo)! : undefined;
    if (call && (call.member === 'SendMessage' || call.member === 'Send')) count(call.path, 'reply');
    if (e.kind === 'signal' && (['MessageSent', 'Sent'].includes(e.member) || (e.member === 'Received' && e.args[3] !== 4))) count(e.path, e.member);
    if (e.kind === 'signal' && e.member === 'MessageReceived' && !isReport(e)) count(e.path, e.member);
  }
}

/** Every NewChannels is followed at once by the old NewChannel for each channel it announces (the spec still requires it). */
function newChannelAfterEachNewChannels({ harness }: SessionResult): void {
  const log = harness.bus.log;
  log.forEach((e, i) => {
    if (e.kind !== 'signal' || e.member !== 'NewChannels') return;
    const paths = (e.args[0] as [string][]).map(([p]) => p);
    const next = log.slice(i + 1, i + 1 + paths.length).map((x) => (x.kind === 'signal' && x.member === 'NewChannel' ? x.args[0] : undefined));
    same(next, paths, 'NewChannel after NewChannels');
  });
  must(signals(log).filter((e) => e.member === 'NewChannel').length === signals(log).filter((e) => e.member === 'NewChannels').length, 'a NewChannel without NewChannels');
}

/** Lives of a channel: announced (N), Closed (C), ChannelClosed (X) right after, and again if it respawns. */
function eachChannelLifeClosedOnce({ harness }: SessionResult): void {
  const log = signals(harness.bus.log);
  const paths = new Set(log.flatMap((e) => (e.member === 'NewChannels' ? (e.args[0] as [string][]).map(([p]) => p) : [])));
  for (const path of paths) {
    const lives = log
      .map((e) => (announces(e, path) ? 'N' : e.member === 'Closed' && e.path === path ? 'C' : e.member === 'ChannelClosed' && e.args[0] === path ? 'X' : ''))
      .join('');
    must(/^(NCX)+$/.test(lives), `lives of ${path}: ${lives}`);
  }
  log.forEach((e, i) => {
    if (e.member === 'Closed') must(log[i + 1]?.member === 'ChannelClosed' && log[i + 1]?.args[0] === e.path, `Closed of ${e.path} not followed by ChannelClosed`);
  });
}

function channelsListsExactlyTheLiveChannels({ channelChecks }: SessionResult): void {
  for (const { reported, live } of channelChecks) same(reported, live, 'Channels');
}

function shutdownLeavesNothingBehind({ harness }: SessionResult): void {
  expect(harness.manager.liveConnections).toBe(0);
  expect(harness.service.exportedPaths.filter((p) => p.startsWith('/org/freedesktop/Telepathy/Connection/'))).toEqual([]);
  const owners = new Map<string, string | null>();
  for (const e of harness.bus.log) if (e.kind === 'name-owner' && e.name.startsWith(`${Iface.Connection}.`)) owners.set(e.name, e.owner);
  expect([...owners.values()].every((owner) => owner === null)).toBe(true);
}

const invariants = [
  everyCallAnsweredOnceWithoutInternalErrors,
  statusInLegalOrderAndSilenceAfterDisconnected,
  replyToChannelRequestsThenNewChannels,
  everyMessageEchoedOnceInOrder,
  echoAfterItsReplyAndMessageSent,
  eachChannelLifeClosedOnce,
  newChannelAfterEachNewChannels,
  deliveryReportsAnswerTheirMessages,
  chatStatesChangeAndFollowTheUser,
  channelsListsExactlyTheLiveChannels,
  shutdownLeavesNothingBehind,
];

describe('random client sessions', () => {
  it(`keep every invariant: ${invariants.map((f) => f.name).join(', ')}`, async () => {
    await fc.assert(
      fc.asyncProperty(sessionArbitrary, async (batches) => {
        const result = await runSession(batches);
        for (const check of invariants) {
          try {
            check(result);
          } catch (error) {
            throw new Error(`${check.name}: ${(error as Error).message}`);
          }
        }
      }),
      RUNS,
    );
  });

  it('show other clients the same thing whether or not a client vanished', async () => {
    await fc.assert(
      fc.asyncProperty(sessionArbitrary, async (batches) => {
        const withVanish = await runSession(batches, true);
        const without = await runSession(batches, false);
        for (const index of [0, 1]) {
          const seen = withVanish.clients[index]!.received;
          const expected = without.clients[index]!.received;
          if (!isDeepStrictEqual(seen, expected)) expect(seen).toEqual(expected);
        }
      }),
      RUNS,
    );
  });
});
