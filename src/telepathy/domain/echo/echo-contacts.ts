/**
 * Which echo contacts behave differently, by identifier: the roster's built-in contacts as their
 * behaviour says (`slow-echo@cave.example` is delayed, `broken-echo@cave.example` failing), and
 * any `slow@…` or `fail@…` the same way.
 * @module
 */
import { echoBehaviourOf } from '#telepathy/domain/roster/echo-contacts.js';

/** The local part of an identifier (`fail` in `fail@example.com`). */
const localPart = (id: string): string => id.split('@')[0] ?? id;

/** Messages to this contact always fail, permanently (a failing contact, `fail`, `fail@…`): a failure report comes back, no echo. */
export function alwaysFails(id: string): boolean {
  return echoBehaviourOf(id) === 'failing' || localPart(id) === 'fail';
}

/** This contact answers slowly (a delayed contact, `slow`, `slow@…`): its echo takes {@link SLOW_ECHO_MS} instead of the usual delay. */
export function isSlow(id: string): boolean {
  return echoBehaviourOf(id) === 'delayed' || localPart(id) === 'slow';
}

/** How long the slow contact takes to answer, in milliseconds. */
export const SLOW_ECHO_MS = 1000;
