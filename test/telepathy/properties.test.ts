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

type Header = Record<string, { value: unknown }>;
const senderOf = (parts: Parts) => (parts[0] as Header)['message-sender']!.value as number;

/**
 * Per channel and echoer, the texts of successful Send/SendMessage calls (in reply order) = each
 * signal's texts. The echoers are the channel's contact, or in a room every member
 * MembersChangedDetailed added but you. Channel paths are reused by a later connection for the
 * same account, so streams are per connection life.
 */
function everyMessageEchoedOnceInOrder({ harness }: SessionResult): void {
  const log = harness.bus.log;
  const calls = callsBySerial(log);
  const lives = new Map<string, number>();
  const life = (path: string) => `${path}#${lives.get(path.slice(0, path.lastIndexOf('/'))) ?? 0}`;
  const streams = new Map<string, string[]>();
  const echoers = new Map<string, Set<number>>();
  // A contact that cannot receive never echoes; every message to it fails (SendError) instead.
  const failing = new Set<string>();
  const push = (path: string, what: string, text: string) => streams.set(`${life(path)} ${what}`, [...(streams.get(`${life(path)} ${what}`) ?? []), text]);
  for (const e of log) {
    if (e.kind === 'reply') {
      const call = calls.get(e.replyTo)!;
      if (call.member === 'SendMessage') push(call.path, 'byCall', textOfParts(call.args[0] as Parts));
      if (call.member === 'Send') push(call.path, 'byCall', call.args[1] as string);
    }
    if (e.kind !== 'signal') continue;
    if (e.member === 'NewConnection') lives.set(e.args[1] as string, (lives.get(e.args[1] as string) ?? 0) + 1);
    if (e.member === 'NewChannels') {
      for (const [path, props] of e.args[0] as [string, Header][]) {
        const isRoom = props[`${Iface.Channel}.TargetHandleType`]?.value === 2;
        const fromTarget = isRoom || fails(String(props[`${Iface.Channel}.TargetID`]?.value)) ? [] : [props[`${Iface.Channel}.TargetHandle`]!.value as number];
        if (!isRoom && fromTarget.length === 0) failing.add(life(path));
        if (!echoers.has(life(path))) echoers.set(life(path), new Set(fromTarget));
      }
    }
    if (e.member === 'MembersChangedDetailed') {
      const actor = (e.args[4] as Header)['actor']!.value;
      for (const handle of e.args[0] as number[]) if (handle !== actor) echoers.get(life(e.path))!.add(handle);
    }
    if (e.member === 'MessageSent') push(e.path, 'MessageSent', textOfParts(e.args[0] as Parts));
    if (e.member === 'Sent') push(e.path, 'Sent', e.args[2] as string);
    // Delivery reports are messages too, but not echoes: report-invariants.ts checks them.
    if (e.member === 'MessageReceived' && !isReport(e)) push(e.path, `MessageReceived from ${senderOf(e.args[0] as Parts)}`, textOfParts(e.args[0] as Parts));
    if (e.member === 'Received' && e.args[3] !== 4) push(e.path, `Received from ${String(e.args[2])}`, e.args[5] as string);
    if (e.member === 'SendError') push(e.path, 'SendError', e.args[3] as string);
  }
  const expected = new Set<string>();
  for (const [channel, handles] of echoers) {
    must(!channel.includes('/RoomChannel') || handles.size > 0, `${channel}: no echo member joined the room`);
    const byCall = streams.get(`${channel} byCall`) ?? [];
    for (const what of ['MessageSent', 'Sent', ...(failing.has(channel) ? ['SendError'] : []), ...[...handles].flatMap((h) => [`MessageReceived from ${h}`, `Received from ${h}`])]) {
      expected.add(`${channel} ${what}`);
      same(streams.get(`${channel} ${what}`) ?? [], byCall, `${channel} ${what} texts`);
    }
  }
  const unexpected = [...streams.keys()].filter((key) => !key.endsWith(' byCall') && !expected.has(key));
  same(unexpected, [], 'messages from someone who is not an echoer of that channel');
}

/** In a room, MembersChangedDetailed announces a member before any message from them, and nobody speaks once gone. */
function roomMembersJoinBeforeTheyEcho({ harness }: SessionResult): void {
  const members = new Map<string, Set<number>>();
  for (const e of signals(harness.bus.log)) {
    // A later connection for the same account reuses room paths: each announcement starts empty.
    if (e.member === 'NewChannels') for (const [path] of e.args[0] as [string][]) members.set(path, new Set());
    if (e.member === 'MembersChangedDetailed') {
      const current = members.get(e.path) ?? new Set<number>();
      for (const handle of e.args[0] as number[]) current.add(handle);
      for (const handle of e.args[1] as number[]) current.delete(handle);
      members.set(e.path, current);
    }
    if (e.member === 'MessageReceived' && e.path.includes('/RoomChannel')) {
      must(members.get(e.path)?.has(senderOf(e.args[0] as Parts)) === true, `a message in ${e.path} from ${senderOf(e.args[0] as Parts)}, not a member`);
    }
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
    if (!name.startsWith('MessageReceived') && !name.startsWith('Received')) return;
    for (const before of ['reply', 'MessageSent', 'Sent']) must((forPath[before] ?? 0) >= forPath[name]!, `echo ${forPath[name]} on ${path} before ${before}`);
  };
  for (const e of log) {
    const call = e.kind === 'reply' ? calls.get(e.replyTo)! : undefined;
    if (call && (call.member === 'SendMessage' || call.member === 'Send')) count(call.path, 'reply');
    // In a room each member echoes: every sender's echoes count on their own.
    if (e.kind === 'signal' && ['MessageSent', 'Sent'].includes(e.member)) count(e.path, e.member);
    if (e.kind === 'signal' && e.member === 'Received' && e.args[3] !== 4) count(e.path, `Received from ${String(e.args[2])}`);
    if (e.kind === 'signal' && e.member === 'MessageReceived' && !isReport(e)) count(e.path, `MessageReceived from ${senderOf(e.args[0] as Parts)}`);
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
  roomMembersJoinBeforeTheyEcho,
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
