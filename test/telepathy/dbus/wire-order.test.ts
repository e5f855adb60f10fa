/**
 * The signal-order properties on the real adapter: random sessions (support/random-session.ts)
 * against the dbus-next bus on a private dbus-daemon, checked in the order each client observes
 * on its own socket. The in-memory bus orders replies and signals by construction; here the
 * adapter's own ordering code (outgoing-messages.ts, `Reply.after`) is what is under test.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { sessionArbitrary } from '#test/telepathy/support/random-session.js';
import type { WireEvent } from './wire-client.js';
import { runWireSession, type SentCall, type WireSession } from './wire-session.js';

// Each run starts a manager and three clients on a real bus: fewer runs than the in-memory properties.
const RUNS = { numRuns: Number(process.env.WIRE_ORDER_RUNS ?? 100) };

let bus: PrivateBus;
beforeAll(async () => {
  bus = await startPrivateBus();
});
afterAll(() => bus.stop());

function must(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** What follows a send's reply at once; the echo (or a failure) comes a moment later. */
const AFTER_SEND = ['MessageSent', 'Sent'];
const announces = (e: WireEvent | undefined, path: string) =>
  e?.kind === 'signal' && e.member === 'NewChannels' && (e.body[0] as [string][]).some(([p]) => p === path);

const closes = (e: WireEvent | undefined, path: string) => e?.kind === 'signal' && e.member === 'ChannelClosed' && e.body[0] === path;

/** Each call answered once, by the server, never with dbus-next's own error names. */
function everyCallAnsweredOnce(events: readonly WireEvent[], calls: readonly SentCall[]): void {
  for (const { member, answer } of calls) {
    const answers = events.filter((e) => e.kind !== 'signal' && e.replyTo === answer.serial);
    must(answers.length === 1, `${member} answered ${answers.length} times`);
    must(!answer.error?.startsWith('com.github.dbus_next'), `${member} failed inside dbus-next: ${answer.error}`);
  }
}

/** The reply to a channel request or a send, then at once the signals the spec orders after it. */
function replyThenItsSignals(events: readonly WireEvent[], calls: readonly SentCall[]): void {
  for (const call of calls) {
    if (call.answer.error) continue;
    const replyAt = events.findIndex((e) => e.kind === 'reply' && e.replyTo === call.answer.serial);
    const next = events.slice(replyAt + 1);
    if (call.member === 'CreateChannel' || call.member === 'EnsureChannel') {
      const [path, yours] = call.member === 'CreateChannel' ? [call.answer.body[0] as string, true] : [call.answer.body[1] as string, call.answer.body[0] === true];
      // Another client's concurrent request may announce (and close) it first; a new one is not live yet.
      const last = events.slice(call.seenBefore, replyAt).reverse().find((e) => announces(e, path) || closes(e, path));
      must(!yours || !announces(last, path), `${path} announced before the reply to ${call.member}`);
      must(announces(next[0], path) === yours, `${call.member} reply (yours: ${yours}) then ${next[0]?.kind} ${next[0]?.kind === 'signal' ? next[0].member : ''}`);
    }
    if (call.member === 'SendMessage' || call.member === 'Send') {
      const members = next.slice(0, AFTER_SEND.length).map((e) => (e.kind === 'signal' && e.path === call.path ? e.member : e.kind));
      must(members.join() === AFTER_SEND.join(), `${call.member} reply then ${members.join(', ')}`);
    }
  }
}

/**
 * The echo is later, never earlier: on each channel, the messages from the contact (Received other
 * than reports) and the failures (SendError) never outnumber what was sent (Sent) so far.
 */
function echoesAfterTheirMessages(events: readonly WireEvent[]): void {
  const counts = new Map<string, { sent: number; answered: number }>();
  for (const e of events) {
    if (e.kind !== 'signal') continue;
    // Counted over every life of a path: a channel delivers its echoes before it closes.
    if (e.member === 'NewChannels') for (const [path] of e.body[0] as [string][]) if (!counts.has(path)) counts.set(path, { sent: 0, answered: 0 });
    const count = counts.get(e.path);
    if (!count) continue;
    if (e.member === 'Sent') count.sent++;
    if ((e.member === 'Received' && e.body[3] !== 4) || e.member === 'SendError') count.answered++;
    must(count.answered <= count.sent, `${e.path}: ${count.answered} echoes or failures after ${count.sent} messages sent`);
  }
}

function check(session: WireSession): void {
  for (const [index, { wire, calls }] of session.clients.entries()) {
    // Order: replies and signals from the manager only; the bus daemon's own are not ordered with
    // them. Answers: from anyone (the bus answers for a connection that has left it).
    const fromManager = wire.events.filter((e) => e.sender === session.server);
    const checks = [[everyCallAnsweredOnce, wire.events], [replyThenItsSignals, fromManager], [echoesAfterTheirMessages, fromManager]] as const;
    for (const [invariant, events] of checks) {
      try {
        invariant(events, calls);
      } catch (error) {
        throw new Error(`client ${index}, ${invariant.name}: ${(error as Error).message}`);
      }
    }
  }
}

describe('random client sessions on the real dbus-next adapter', () => {
  it('show each client every reply before the signals the spec orders after it', async () => {
    await fc.assert(
      fc.asyncProperty(sessionArbitrary, async (batches) => {
        const session = await runWireSession(bus.address, batches);
        try {
          check(session);
        } finally {
          await session.end();
        }
      }),
      RUNS,
    );
  }, 120_000);
});
