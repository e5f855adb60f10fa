/**
 * Which echo contacts behave differently, by identifier. A small predicate of its own, so that a
 * roster of built-in contacts can decide it instead later.
 * @module
 */

/** The local part of an identifier (`fail` in `fail@example.com`). */
const localPart = (id: string): string => id.split('@')[0] ?? id;

/** Messages to this contact always fail, permanently (`fail`, `fail@…`): a failure report comes back, no echo. */
export function alwaysFails(id: string): boolean {
  return localPart(id) === 'fail';
}

/** This contact answers slowly (`slow`, `slow@…`): its echo takes {@link SLOW_ECHO_MS} instead of the usual delay. */
export function isSlow(id: string): boolean {
  return localPart(id) === 'slow';
}

/** How long the slow contact takes to answer, in milliseconds. */
export const SLOW_ECHO_MS = 1000;
