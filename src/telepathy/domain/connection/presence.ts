/**
 * SimplePresence for the echo protocol: what a user can be, and what contacts always are.
 * @module
 */
import { invalidArgument } from '#telepathy/domain/errors/telepathy-error.js';
import { PresenceType } from '#telepathy/domain/names/names.js';
import { tv } from '#telepathy/domain/values/typed-values.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';

/** A Simple_Presence: (type, status, message). */
export type Presence = [type: number, status: string, message: string];

interface StatusSpec {
  readonly type: number;
  readonly maySetOnSelf: boolean;
  readonly canHaveMessage: boolean;
}

const STATUSES: Readonly<Record<string, StatusSpec>> = {
  available: { type: PresenceType.Available, maySetOnSelf: true, canHaveMessage: true },
  away: { type: PresenceType.Away, maySetOnSelf: true, canHaveMessage: true },
  xa: { type: PresenceType.ExtendedAway, maySetOnSelf: true, canHaveMessage: true },
  busy: { type: PresenceType.Busy, maySetOnSelf: true, canHaveMessage: true },
  hidden: { type: PresenceType.Hidden, maySetOnSelf: true, canHaveMessage: true },
  offline: { type: PresenceType.Offline, maySetOnSelf: false, canHaveMessage: false },
  unknown: { type: PresenceType.Unknown, maySetOnSelf: false, canHaveMessage: false },
  error: { type: PresenceType.Error, maySetOnSelf: false, canHaveMessage: false },
};

/** Every status, for the .manager file and Protocol.Interface.Presence: [name, type, settable, message]. */
export const PRESENCE_STATUSES: readonly [name: string, type: number, maySetOnSelf: boolean, canHaveMessage: boolean][] = Object.entries(STATUSES).map(
  ([name, spec]) => [name, spec.type, spec.maySetOnSelf, spec.canHaveMessage],
);

/** The Statuses property, a{s(ubb)}. */
export function statusesProperty(): TypedValue {
  const entries = Object.entries(STATUSES).map(([name, spec]) => [name, [spec.type, spec.maySetOnSelf, spec.canHaveMessage]]);
  return tv('a{s(ubb)}', Object.fromEntries(entries));
}

/** The presence a SetPresence asks for; InvalidArgument for statuses a user cannot set (all others take a message). */
export function requestedPresence(status: string, message: string): Presence {
  const spec = Object.hasOwn(STATUSES, status) ? STATUSES[status] : undefined;
  if (!spec?.maySetOnSelf) throw invalidArgument(`the status ${JSON.stringify(status)} cannot be set`);
  return [spec.type, status, message];
}

/**
 * An echo contact's presence: yours, echoed. When you are hidden they still show available:
 * hidden means others cannot see you, not that you cannot see them.
 */
export function echoedPresence([type, status, message]: Presence): Presence {
  return type === PresenceType.Hidden ? [PresenceType.Available, 'available', message] : [type, status, message];
}
/** The user's presence until a client sets another one. */
export const INITIAL_SELF_PRESENCE: Presence = [PresenceType.Available, 'available', ''];
