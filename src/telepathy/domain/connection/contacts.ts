/**
 * Connection.Interface.Contacts: a contact's attributes (identifier, presence) in one call.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as, s, tv, u, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';
import type { Presence } from './presence.js';
import type { Roster } from '#telepathy/domain/roster/roster.js';
import type { RosterGroups } from '#telepathy/domain/roster/roster-groups.js';
import type { Aliases } from '#telepathy/domain/roster/aliases.js';
import type { ContactAvatars } from '#telepathy/domain/avatars/contact-avatars.js';

/** What the Contacts interface needs from its connection. */
export interface ContactsHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** A contact's current presence. */
  presenceOf(handle: number): Presence;
  /** The connection's roster (subscribe, publish). */
  readonly roster: Roster;
  /** The roster's groups. */
  readonly groups: RosterGroups;
  /** Contacts' aliases. */
  readonly aliases: Aliases;
  /** Contacts' avatar tokens. */
  readonly avatars: ContactAvatars;
}

const CONTACT_ID = `${Iface.Connection}/contact-id`;
const PRESENCE_ATTRIBUTE = `${Iface.SimplePresence}/presence`;

/** The methods and properties of `org.freedesktop.Telepathy.Connection.Interface.Contacts`. */
export function contactsInterface(conn: ContactsHost): BusInterface {
  const live = connectedOnly(conn);
  return {
    methods: {
      GetContactAttributes: live((call) => {
        const args = new Args(call.args);
        const handles = args.uints(0, 'Handles');
        const interfaces = args.strings(1, 'Interfaces');
        args.bool(2, 'Hold');
        const valid = handles.filter((h) => conn.handles.isValid(h));
        return reply(Object.fromEntries(valid.map((h) => [String(h), attributes(conn, h, interfaces)])));
      }),
      GetContactByID: live((call) => {
        const args = new Args(call.args);
        const handle = conn.handles.ensure(args.string(0, 'Identifier'));
        return reply(handle, attributes(conn, handle, args.strings(1, 'Interfaces')));
      }),
    },
    properties: {
      ContactAttributeInterfaces: () => as([Iface.Connection, Iface.SimplePresence, Iface.ContactList, Iface.ContactGroups, Iface.Aliasing, Iface.Avatars]),
    },
  };
}

/** Contact attributes: the identifier always, the others when their interface is asked for; unknown interfaces are ignored. */
export function attributes(conn: ContactsHost, handle: number, interfaces: readonly string[]): VariantMap {
  const result: VariantMap = { [CONTACT_ID]: s(conn.handles.inspect(handle)) };
  if (interfaces.includes(Iface.SimplePresence)) result[PRESENCE_ATTRIBUTE] = tv('(uss)', [...conn.presenceOf(handle)]);
  if (interfaces.includes(Iface.ContactList)) {
    const [subscribe, publish, request] = conn.roster.statesOf(handle);
    Object.assign(result, { [`${Iface.ContactList}/subscribe`]: u(subscribe), [`${Iface.ContactList}/publish`]: u(publish) });
    // publish-request is omitted, not empty, when there is none.
    if (request !== '') result[`${Iface.ContactList}/publish-request`] = s(request);
  }
  if (interfaces.includes(Iface.ContactGroups)) result[`${Iface.ContactGroups}/groups`] = as(conn.groups.groupsOf(handle));
  if (interfaces.includes(Iface.Aliasing)) result[`${Iface.Aliasing}/alias`] = s(conn.aliases.aliasOf(handle));
  if (interfaces.includes(Iface.Avatars)) result[`${Iface.Avatars}/token`] = s(conn.avatars.tokenOf(handle));
  return result;
}
