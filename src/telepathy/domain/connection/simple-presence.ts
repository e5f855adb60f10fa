/**
 * Connection.Interface.SimplePresence: setting the user's presence and reading contacts'.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { Args } from '#telepathy/domain/values/args.js';
import { u } from '#telepathy/domain/values/typed-values.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';
import { requestedPresence, statusesProperty, type Presence } from './presence.js';

/** What the SimplePresence interface needs from its connection. */
export interface SimplePresenceHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The user's own contact. */
  readonly self: Party;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** Set the user's own presence (announced by the caller). */
  setSelfPresence(presence: Presence): void;
  /** The presences of these contacts, keyed by handle as a decimal string. */
  presenceMap(handles: readonly number[]): Record<string, Presence>;
  /** Emit PresencesChanged for these contacts. */
  emitPresences(handles: readonly number[]): void;
  /** Every contact but the user: they echo the user's presence. */
  readonly otherContacts: readonly number[];
}

/** The methods and properties of `org.freedesktop.Telepathy.Connection.Interface.SimplePresence`. */
export function simplePresenceInterface(conn: SimplePresenceHost): BusInterface {
  const live = connectedOnly(conn);
  return {
    methods: {
      SetPresence: (call) => {
        const args = new Args(call.args);
        conn.setSelfPresence(requestedPresence(args.string(0, 'Status'), args.string(1, 'Status_Message')));
        if (conn.isConnected) {
          conn.emitPresences([conn.self.handle]);
          // Then the echo: every other contact follows the user's presence.
          if (conn.otherContacts.length > 0) conn.emitPresences(conn.otherContacts);
        }
        return reply();
      },
      GetPresences: live((call) => {
        const handles = new Args(call.args).uints(0, 'Contacts');
        for (const handle of handles) conn.handles.inspect(handle);
        return reply(conn.presenceMap(handles));
      }),
    },
    properties: {
      Statuses: () => statusesProperty(),
      MaximumStatusMessageLength: () => u(0),
    },
  };
}
