/**
 * Roster operations for random sessions (random-session.ts): subscription requests, aliases,
 * avatars (the contacts' and your own) and reading the contact list, on built-in echo contacts
 * and on someone new.
 */
import fc from 'fast-check';
import { Iface, HandleType } from '#telepathy/domain/names/names.js';
import type { SimClient } from '#sim/telepathy/sim-client.js';

/** Whom roster operations name: two built-in echo contacts and a stranger. */
export const ROSTER_IDS = ['echo@cave.example', 'slow-echo@cave.example', 'Carol'] as const;
/** Two pictures of your own to set (PNG signatures with a different last byte). */
const PICTURES = [0, 1].map((n) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n]));

export type RosterOp = {
  kind: 'subscribe' | 'alias' | 'requestAvatars' | 'listContacts' | 'setAvatar' | 'clearAvatar';
  client: number;
  account: number;
  who: number;
};

export const rosterOpArbitrary: fc.Arbitrary<RosterOp> = fc.record({
  kind: fc.constantFrom('subscribe', 'subscribe', 'alias', 'requestAvatars', 'listContacts', 'setAvatar', 'clearAvatar'),
  client: fc.integer({ min: 0, max: 2 }),
  account: fc.integer({ min: 0, max: 1 }),
  who: fc.integer({ min: 0, max: ROSTER_IDS.length - 1 }),
});

/** Run one roster operation as a chat client would (a handle first, then the call). */
export async function performOnRoster(op: RosterOp, c: SimClient, conn: { busName: string; path: string }): Promise<unknown> {
  const call = (iface: string, member: string, args: unknown[] = []) => c.call(conn.busName, conn.path, iface, member, args);
  switch (op.kind) {
    case 'listContacts':
      return call(Iface.ContactList, 'GetContactListAttributes', [[Iface.Aliasing, Iface.Avatars], false]);
    case 'setAvatar':
      return call(Iface.Avatars, 'SetAvatar', [PICTURES[op.who % 2], 'image/png']);
    case 'clearAvatar':
      return call(Iface.Avatars, 'ClearAvatar');
  }
  const [[handle]] = (await call(Iface.Connection, 'RequestHandles', [HandleType.Contact, [ROSTER_IDS[op.who]]])) as [[number]];
  switch (op.kind) {
    case 'subscribe':
      return call(Iface.ContactList, 'RequestSubscription', [[handle], `hello ${op.who}`]);
    case 'alias':
      return call(Iface.Aliasing, 'SetAliases', [{ [String(handle)]: `name ${op.who}`, '1': `me ${op.who}` }]);
    case 'requestAvatars':
      return call(Iface.Avatars, 'RequestAvatars', [[handle, 1]]);
  }
}
