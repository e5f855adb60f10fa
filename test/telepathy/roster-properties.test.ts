/**
 * Signal-order properties of the roster, aliases and avatars, over the same random sessions as
 * properties.test.ts (support/random-session.ts, whose operations include support/roster-ops.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Iface } from '#telepathy/domain/names/names.js';
import type { BusEvent } from '#sim/telepathy/bus-events.js';
import { runSession, sessionArbitrary, type SessionResult } from '#test/telepathy/support/random-session.js';

const RUNS = { numRuns: 150 };

function must(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

type Call = Extract<BusEvent, { kind: 'call' }>;

/** Walk the log knowing, at each event, which calls are being handled (called, not yet answered). */
function walk(log: readonly BusEvent[], visit: (event: BusEvent, open: ReadonlyMap<number, Call>, index: number) => void): void {
  const open = new Map<number, Call>();
  log.forEach((event, index) => {
    if (event.kind === 'call') open.set(event.serial, event);
    visit(event, open, index);
    if (event.kind === 'reply' || event.kind === 'error') open.delete(event.replyTo);
  });
}

const handling = (open: ReadonlyMap<number, Call>, path: string, member: string) => [...open.values()].filter((c) => c.path === path && c.member === member);

/** The built-in contacts' list reaches Success (after Waiting) before any change to it is announced. */
function contactListSucceedsBeforeContactsChange({ harness }: SessionResult): void {
  const state = new Map<string, number>();
  for (const e of harness.bus.log) {
    if (e.kind !== 'signal') continue;
    if (e.member === 'StatusChanged' && e.args[0] === 1) state.set(e.path, 0);
    if (e.member === 'ContactListStateChanged') {
      const next = e.args[0] as number;
      must(next === ((state.get(e.path) ?? 0) === 0 ? 1 : 3), `ContactListState ${next} after ${state.get(e.path)} on ${e.path}`);
      state.set(e.path, next);
    }
    if (/^ContactsChanged|^Groups/.test(e.member)) must(state.get(e.path) === 3, `${e.member} before the list succeeded on ${e.path}`);
  }
}

/** An echo contact accepts a subscription request only after the request's reply; asking is announced before it. */
function subscriptionAcceptedAfterTheReply({ harness }: SessionResult): void {
  walk(harness.bus.log, (e, open) => {
    if (e.kind !== 'signal' || e.member !== 'ContactsChanged') return;
    const changes = e.args[0] as Record<string, [number, number, string]>;
    for (const [handle, [subscribe, publish]] of Object.entries(changes)) {
      const asking = handling(open, e.path, 'RequestSubscription').filter((c) => (c.args[0] as number[]).includes(Number(handle)));
      if (subscribe === 4 && publish === 3) must(asking.length === 0, `contact ${handle} accepted before RequestSubscription was answered`);
      if (subscribe === 3) must(asking.length > 0, `contact ${handle} asked outside RequestSubscription`);
    }
  });
}

/** AliasesChanged comes only while SetAliases is being handled, before its reply. */
function aliasesChangedWhileSettingThem({ harness }: SessionResult): void {
  walk(harness.bus.log, (e, open) => {
    if (e.kind === 'signal' && e.member === 'AliasesChanged') must(handling(open, e.path, 'SetAliases').length > 0, `AliasesChanged outside SetAliases on ${e.path}`);
  });
}

/** AvatarUpdated, for the user only, comes before the reply of the SetAvatar or ClearAvatar that caused it, with the token it answers. */
function avatarUpdatedBeforeTheReplyWithItsToken({ harness }: SessionResult): void {
  const announced = new Map<number, string>();
  walk(harness.bus.log, (e, open) => {
    if (e.kind === 'signal' && e.member === 'AvatarUpdated') {
      const [cause] = [...handling(open, e.path, 'SetAvatar'), ...handling(open, e.path, 'ClearAvatar')];
      must(cause !== undefined && e.args[0] === 1, `AvatarUpdated ${String(e.args)} outside SetAvatar/ClearAvatar for the user`);
      must((cause!.member === 'ClearAvatar') === (e.args[1] === ''), `AvatarUpdated token ${String(e.args[1])} from ${cause!.member}`);
      announced.set(cause!.serial, e.args[1] as string);
    }
    if (e.kind === 'reply' && open.get(e.replyTo)?.member === 'SetAvatar' && announced.has(e.replyTo)) {
      must(e.values[0] === announced.get(e.replyTo), `SetAvatar answered ${String(e.values[0])}, announced ${announced.get(e.replyTo)}`);
    }
  });
}

/** Pictures arrive in AvatarRetrieved right after the RequestAvatars reply, with a token and the bytes. */
function avatarsRetrievedRightAfterTheReply({ harness }: SessionResult): void {
  const log = harness.bus.log;
  const calls = new Map(log.flatMap((e) => (e.kind === 'call' ? [[e.serial, e] as const] : [])));
  log.forEach((e, index) => {
    if (e.kind !== 'signal' || e.member !== 'AvatarRetrieved') return;
    let before = index - 1;
    while (log[before]?.kind === 'signal' && (log[before] as { member: string }).member === 'AvatarRetrieved') before--;
    const reply = log[before];
    must(reply?.kind === 'reply' && calls.get(reply.replyTo)?.member === 'RequestAvatars', `AvatarRetrieved not right after a RequestAvatars reply`);
    must(e.args[1] !== '' && e.args[2] instanceof Uint8Array && e.args[3] === 'image/png', `AvatarRetrieved ${String(e.args[1])} without a picture`);
  });
}

const invariants = [
  contactListSucceedsBeforeContactsChange,
  subscriptionAcceptedAfterTheReply,
  aliasesChangedWhileSettingThem,
  avatarUpdatedBeforeTheReplyWithItsToken,
  avatarsRetrievedRightAfterTheReply,
];

describe('random client sessions on the roster', () => {
  it(`keep every roster invariant: ${invariants.map((f) => f.name).join(', ')}`, async () => {
    const seen = { accepted: 0, aliases: 0, updated: 0, retrieved: 0 };
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
        for (const e of result.harness.bus.log) {
          if (e.kind !== 'signal') continue;
          if (e.member === 'ContactsChanged' && JSON.stringify(e.args[0]).includes('"hello')) seen.accepted++;
          if (e.member === 'AliasesChanged') seen.aliases++;
          if (e.member === 'AvatarUpdated') seen.updated++;
          if (e.member === 'AvatarRetrieved') seen.retrieved++;
        }
      }),
      RUNS,
    );
    // The sessions really exercise what the invariants are about (counts over all runs vary with
    // the seed: 20 acceptances has been seen, so the floor leaves room).
    must(Object.values(seen).every((n) => n >= 5), `too few roster events: ${JSON.stringify(seen)}`);
  });
});
