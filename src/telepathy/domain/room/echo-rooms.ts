/**
 * Who is in an echo room, and the rooms the echo server lists.
 * @module
 */
import { invalidHandle } from '#telepathy/domain/errors/telepathy-error.js';

/** The echo members of every room: palindromes, since each says back what it hears. */
export const ECHO_MEMBERS: readonly string[] = ['anna', 'bob', 'otto'];

/** A room the echo server lists (any other name can be joined too). */
export interface EchoRoom {
  /** The room's identifier, normalised. */
  readonly name: string;
  /** What the room is for. */
  readonly description: string;
  /** Its subject when joined. */
  readonly subject: string;
}

/** The rooms RoomList lists. */
export const ECHO_ROOMS: readonly EchoRoom[] = [
  { name: 'lobby', description: 'Where everyone starts', subject: 'Welcome to the echo lobby' },
  { name: 'canyon', description: 'Say it once, hear it three times', subject: 'Hello? hello? hello?' },
];

/** The subject a room starts with: a listed room's own, or one that says who will answer. */
export function initialSubject(room: string): string {
  return ECHO_ROOMS.find((r) => r.name === room)?.subject ?? `Everything you say comes back from ${ECHO_MEMBERS.join(', ')}`;
}

/** Room names are case-insensitive, like contact identifiers; blank ones are invalid. */
export function normalizeRoomName(name: string): string {
  const normal = name.trim().toLowerCase();
  if (normal === '') throw invalidHandle('a room name cannot be empty');
  return normal;
}
