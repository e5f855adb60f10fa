/**
 * Connection.Interface.ContactGroups: user-defined groups of roster contacts.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { MethodCall, Signal } from '#telepathy/domain/bus/bus.port.js';
import type { RosterGroups } from '#telepathy/domain/roster/roster-groups.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as, b, u } from '#telepathy/domain/values/typed-values.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';

/** What the ContactGroups interface needs from its connection. */
export interface ContactGroupsHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The roster's groups. */
  readonly groups: RosterGroups;
  /** Emit signals now (before the reply of the call being handled). */
  emitAll(signals: readonly Signal[]): void;
}

/** Contact_Metadata_Storage_Type Anyone: any contact can be put in a group. */
const STORAGE_ANYONE = 3;

/** The methods and properties of `org.freedesktop.Telepathy.Connection.Interface.ContactGroups`. */
export function contactGroupsInterface(conn: ContactGroupsHost): BusInterface {
  const live = connectedOnly(conn);
  const handlesAt = (args: Args, index: number, what: string) => {
    const handles = args.uints(index, what);
    for (const handle of handles) conn.handles.inspect(handle);
    return handles;
  };
  // All signals a call causes go out before its reply (the spec's MUST).
  const changing = (change: (args: Args) => Signal[]) =>
    live((call: MethodCall) => {
      conn.emitAll(change(new Args(call.args)));
      return reply();
    });
  return {
    methods: {
      SetContactGroups: changing((args) => {
        const contact = args.uint(0, 'Contact');
        conn.handles.inspect(contact);
        return conn.groups.setContactGroups(contact, args.strings(1, 'Groups'));
      }),
      SetGroupMembers: changing((args) => conn.groups.setGroupMembers(args.string(0, 'Group'), handlesAt(args, 1, 'Members'))),
      AddToGroup: changing((args) => conn.groups.addToGroup(args.string(0, 'Group'), handlesAt(args, 1, 'Members'))),
      RemoveFromGroup: changing((args) => conn.groups.removeFromGroup(args.string(0, 'Group'), handlesAt(args, 1, 'Members'))),
      RemoveGroup: changing((args) => conn.groups.removeGroup(args.string(0, 'Group'))),
      RenameGroup: changing((args) => conn.groups.renameGroup(args.string(0, 'Old_Name'), args.string(1, 'New_Name'))),
    },
    properties: {
      DisjointGroups: () => b(false),
      GroupStorage: () => u(STORAGE_ANYONE),
      Groups: () => as(conn.groups.all),
    },
  };
}
