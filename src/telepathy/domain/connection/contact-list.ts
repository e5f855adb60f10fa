/**
 * Connection.Interface.ContactList: the roster, and subscription requests the echo accepts at once.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { MethodCall, Signal } from '#telepathy/domain/bus/bus.port.js';
import type { Roster } from '#telepathy/domain/roster/roster.js';
import { Args } from '#telepathy/domain/values/args.js';
import { b, u, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';

/** What the ContactList interface needs from its connection. */
export interface ContactListHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The connection's roster. */
  readonly roster: Roster;
  /** Emit signals now (before the reply of the call being handled). */
  emitAll(signals: readonly Signal[]): void;
  /** A contact's attributes for these interfaces, as Contacts.GetContactAttributes gives them. */
  attributesOf(handle: number, interfaces: readonly string[]): VariantMap;
}

/** The methods and properties of `org.freedesktop.Telepathy.Connection.Interface.ContactList`. */
export function contactListInterface(conn: ContactListHost): BusInterface {
  const live = connectedOnly(conn);
  const contacts = (args: Args) => {
    const handles = args.uints(0, 'Contacts');
    for (const handle of handles) conn.handles.inspect(handle);
    return handles;
  };
  // Every change a method causes at once is signalled before it returns (the spec's MUST).
  const changing = (change: (args: Args) => Signal[]) =>
    live((call: MethodCall) => {
      conn.emitAll(change(new Args(call.args)));
      return reply();
    });
  return {
    methods: {
      GetContactListAttributes: live((call) => {
        const args = new Args(call.args);
        const interfaces = args.strings(0, 'Interfaces');
        args.bool(1, 'Hold');
        const handles = conn.roster.handles();
        return reply(Object.fromEntries(handles.map((h) => [String(h), conn.attributesOf(h, interfaces)])));
      }),
      RequestSubscription: live((call) => {
        const args = new Args(call.args);
        const change = conn.roster.requestSubscription(contacts(args), args.string(1, 'Message'));
        conn.emitAll(change.now);
        // The echo contact's answer comes from the other side, so after the reply.
        return { values: [], after: change.after };
      }),
      AuthorizePublication: changing((args) => conn.roster.authorizePublication(contacts(args))),
      RemoveContacts: changing((args) => conn.roster.remove(contacts(args))),
      Unsubscribe: changing((args) => conn.roster.unsubscribe(contacts(args))),
      Unpublish: changing((args) => conn.roster.unpublish(contacts(args))),
      // DownloadAtConnection is true: the list is already here.
      Download: live(() => reply()),
    },
    properties: {
      ContactListState: () => u(conn.roster.state),
      // Nothing is stored beyond the connection: additions are remembered until it disconnects.
      ContactListPersists: () => b(false),
      CanChangeContactList: () => b(true),
      RequestUsesMessage: () => b(true),
      DownloadAtConnection: () => b(true),
    },
  };
}
