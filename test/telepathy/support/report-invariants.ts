/** Invariants over a random session's bus log for delivery reports and chat states (see properties.test.ts). */
import { isDeepStrictEqual, inspect } from 'node:util';
import type { BusEvent, SignalEvent } from '#sim/telepathy/bus-events.js';
import type { SessionResult } from './random-session.js';

type Header = Record<string, { value: unknown } | undefined>;
const header = (e: SignalEvent): Header => (e.args[0] as Header[])[0] ?? {};
const signals = (log: readonly BusEvent[]) => log.filter((e): e is SignalEvent => e.kind === 'signal');

function must(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Whether a MessageReceived carries a delivery report rather than a message. */
export const isReport = (e: SignalEvent): boolean => (header(e)['message-type']?.value ?? 0) === 4;

/** The channels a NewChannels announces, as path and TargetID. */
export const announced = (e: SignalEvent): [string, string][] =>
  e.member === 'NewChannels' ? (e.args[0] as [string, Header][]).map(([path, props]) => [path, String(props['org.freedesktop.Telepathy.Channel.TargetID']?.value)]) : [];

/** Whether a target cannot receive (fail@…, or the roster's failing contact). */
export const fails = (target: string | undefined): boolean => target?.startsWith('fail@') === true || target === 'broken-echo@cave.example';

/**
 * Per channel, for as long as its connection lives (a new one reuses paths and tokens), the reports name MessageSent tokens
 * and come after them: Delivered exactly for messages sent with Report_Delivery to a contact that
 * receives, Permanently_Failed (with the message attached) for every message to one that cannot.
 */
export function deliveryReportsAnswerTheirMessages({ harness }: SessionResult): void {
  const lives = new Map<string, { target: string; sent: Map<string, { flags: number; parts: unknown }>; reported: Set<string> }>();
  const finish = (path: string) => {
    const life = lives.get(path);
    if (!life) return;
    for (const [token, { flags }] of life.sent) {
      const wanted = fails(life.target) || flags === 1;
      must(life.reported.has(token) === wanted, `${path} ${token}: ${wanted ? 'no report' : 'a report nobody asked for'}`);
    }
  };
  for (const e of signals(harness.bus.log)) {
    // A new connection at the same path starts its channels and message-tokens again.
    if (e.member === 'NewConnection') {
      for (const path of [...lives.keys()].filter((p) => p.startsWith(`${String(e.args[1])}/`))) (finish(path), lives.delete(path));
    }
    // A respawned channel (same connection) keeps its life: tokens go on.
    for (const [path, target] of announced(e)) if (!lives.has(path)) lives.set(path, { target, sent: new Map(), reported: new Set() });
    const life = lives.get(e.path);
    if (!life) continue;
    if (e.member === 'MessageSent') life.sent.set(String(e.args[2]), { flags: e.args[1] as number, parts: e.args[0] });
    if (e.member !== 'MessageReceived' || !isReport(e)) continue;
    const h = header(e);
    const token = String(h['delivery-token']?.value);
    const original = life.sent.get(token);
    must(original !== undefined && !life.reported.has(token), `report for ${e.path} ${token}: before its MessageSent, or twice`);
    life.reported.add(token);
    if (fails(life.target)) {
      must(h['delivery-status']?.value === 3, `a message to a failing contact was reported ${String(h['delivery-status']?.value)}`);
      must(isDeepStrictEqual(h['delivery-echo']?.value, original!.parts), `delivery-echo ${inspect(h['delivery-echo'], { depth: 5 })} is not the message`);
    } else must(h['delivery-status']?.value === 1 && original!.flags === 1, `unexpected report for ${e.path} ${token}`);
  }
  for (const path of lives.keys()) finish(path);
}

/**
 * Per channel life, ChatStateChanged announces only changes; the contact is Composing or Paused
 * only after the user was in that state in the same life.
 */
export function chatStatesChangeAndFollowTheUser({ harness }: SessionResult): void {
  const states = new Map<string, Map<number, number>>();
  const userStates = new Map<string, Set<number>>();
  for (const e of signals(harness.bus.log)) {
    if (e.member === 'NewChannels') for (const [path] of e.args[0] as [string][]) (states.delete(path), userStates.delete(path));
    if (e.member !== 'ChatStateChanged') continue;
    const [handle, state] = e.args as [number, number];
    const forPath = states.get(e.path) ?? new Map<number, number>();
    states.set(e.path, forPath);
    must((forPath.get(handle) ?? 1) !== state, `ChatStateChanged(${handle}, ${state}) on ${e.path} changed nothing`);
    forPath.set(handle, state);
    // The self handle is 1 on every connection of a session (the account is the first id).
    if (handle === 1) userStates.set(e.path, (userStates.get(e.path) ?? new Set()).add(state));
    else if (state === 3 || state === 4) must(userStates.get(e.path)?.has(state) === true, `contact ${handle} went ${state} on ${e.path} before the user did`);
  }
}
