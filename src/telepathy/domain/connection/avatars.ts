/**
 * Connection.Interface.Avatars: contacts' pictures by token, and the user's own picture.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { AVATAR_REQUIREMENTS, avatarRequirementProperties } from '#telepathy/domain/avatars/avatar-requirements.js';
import type { ContactAvatars } from '#telepathy/domain/avatars/contact-avatars.js';
import { disconnected, invalidArgument, notAvailable } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { Args } from '#telepathy/domain/values/args.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';
import type { Party } from '#telepathy/domain/channel/message.js';

/** What the Avatars interface needs from its connection. */
export interface AvatarsHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The connection's object path, which emits AvatarUpdated and AvatarRetrieved. */
  readonly path: string;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The user's own contact, whose avatar SetAvatar changes. */
  readonly self: Party;
  /** The connection's avatars. */
  readonly avatars: ContactAvatars;
  /** Emit signals now (before the reply of the call being handled). */
  emitAll(signals: readonly Signal[]): void;
}

/** The methods and properties of `org.freedesktop.Telepathy.Connection.Interface.Avatars`. */
export function avatarsInterface(conn: AvatarsHost): BusInterface {
  const live = connectedOnly(conn);
  const contacts = (call: { args: readonly unknown[] }) => {
    const handles = new Args(call.args).uints(0, 'Contacts');
    for (const handle of handles) conn.handles.inspect(handle);
    return handles;
  };
  const updated = (token: string): Signal => ({ path: conn.path, interface: Iface.Avatars, member: 'AvatarUpdated', args: [conn.self.handle, token] });
  const r = AVATAR_REQUIREMENTS;
  return {
    methods: {
      GetAvatarRequirements: live(() => reply([...r.mimeTypes], r.minimumWidth, r.minimumHeight, r.maximumWidth, r.maximumHeight, r.maximumBytes)),
      GetAvatarTokens: live((call) => reply(contacts(call).map((h) => conn.avatars.tokenOf(h)))),
      // Every token is known without fetching the picture, so every contact is in the answer.
      GetKnownAvatarTokens: live((call) => reply(Object.fromEntries(contacts(call).map((h) => [String(h), conn.avatars.tokenOf(h)])))),
      RequestAvatar: async (call) => {
        const handle = checked(conn, () => new Args(call.args).uint(0, 'Contact'));
        const id = conn.handles.inspect(handle);
        const found = await conn.avatars.pictureOf(handle);
        if (!found) throw notAvailable(`${id} has no avatar`);
        return reply(found.picture.bytes, found.picture.mimeType);
      },
      RequestAvatars: async (call) => requestAvatars(conn, checked(conn, () => contacts(call))),
      SetAvatar: live((call) => {
        const args = new Args(call.args);
        const before = conn.avatars.tokenOf(conn.self.handle);
        const token = conn.avatars.setOwn(bytesArg(call.args[0]), args.string(1, 'MIME_Type'));
        if (token !== before) conn.emitAll([updated(token)]);
        return reply(token);
      }),
      ClearAvatar: live(() => {
        if (conn.avatars.clearOwn()) conn.emitAll([updated('')]);
        return reply();
      }),
    },
    properties: avatarRequirementProperties(),
  };
}

/** Checks that must fail before any await: the connection is live and the arguments are right. */
function checked<T>(conn: AvatarsHost, read: () => T): T {
  if (!conn.isConnected) throw disconnected('the connection is not connected');
  return read();
}

/** Read the pictures, then reply; AvatarRetrieved follows the reply for each picture there is. */
async function requestAvatars(conn: AvatarsHost, handles: readonly number[]): Promise<Reply> {
  const found = await Promise.all([...new Set(handles)].map(async (h) => [h, await conn.avatars.pictureOf(h)] as const));
  // Nothing is emitted for a connection that ended while the pictures were read.
  if (!conn.isConnected) return reply();
  const after = found.flatMap(([handle, avatar]): Signal[] =>
    avatar ? [{ path: conn.path, interface: Iface.Avatars, member: 'AvatarRetrieved', args: [handle, avatar.token, avatar.picture.bytes, avatar.picture.mimeType] }] : [],
  );
  return { values: [], after };
}

/** An `ay` as the bus hands it over (bytes; a plain array of bytes from an in-memory client). */
function bytesArg(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value) && value.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return Uint8Array.from(value as number[]);
  throw invalidArgument('argument 0 (Avatar) has the wrong type');
}
