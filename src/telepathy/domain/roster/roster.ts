/**
 * One connection's roster (Connection.Interface.ContactList): who is on it, subscription in both
 * directions, and the signals each change makes. The echo contacts accept every request at once.
 * @module
 */
import type { Signal } from '#telepathy/domain/bus/bus.port.js';
import { ensureRoom, Limits } from '#telepathy/domain/limits/limits.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { builtinEchoContacts } from './echo-contacts.js';

/** Contact_List_State. */
export const ContactListState = {
  /** Not started (before CONNECTED): GetContactListAttributes raises Disconnected. */
  None: 0,
  /** Being retrieved. */
  Waiting: 1,
  /** Retrieval failed. */
  Failure: 2,
  /** Retrieved: GetContactListAttributes answers. */
  Success: 3,
} as const;

/** Subscription_State, for the `subscribe` and `publish` contact attributes. */
export const SubscriptionState = {
  /** Not known (before the list is retrieved). */
  Unknown: 0,
  /** No subscription. */
  No: 1,
  /** The other side said no. */
  RemovedRemotely: 2,
  /** Asked, no answer yet. */
  Ask: 3,
  /** Presence is shared. */
  Yes: 4,
} as const;

/** One contact's place on the roster. */
export interface RosterEntry {
  /** Whether the user sees the contact's presence (Subscription_State). */
  subscribe: number;
  /** Whether the contact sees the user's presence (Subscription_State). */
  publish: number;
  /** The contact's message when `publish` is Ask, else empty. */
  publishRequest: string;
  /** The groups it is in, in the order it joined them. */
  readonly groups: Set<string>;
}

/** Signals that must precede a method's reply, and those the remote side causes after it. */
export interface RosterChange {
  /** Emitted before the reply, as the spec requires for immediate changes. */
  readonly now: Signal[];
  /** Emitted after the reply: the echo contact's answer. */
  readonly after: Signal[];
}

/**
 * A connection's roster, kept by identifier: the built-in contacts get handles only when a client
 * first sees them (GetContactListAttributes), so connecting allocates none. `idOf` names a handle,
 * `handleOf` allocates one.
 */
export class Roster {
  private listState: number = ContactListState.None;
  /** Roster contacts by identifier, in the order they joined. */
  private readonly byId = new Map<string, RosterEntry>();

  constructor(
    private readonly path: string,
    private readonly idOf: (handle: number) => string,
    private readonly handleOf: (id: string) => number,
  ) {}

  /** The ContactListState property. */
  get state(): number {
    return this.listState;
  }

  /**
   * Once CONNECTED: Waiting, then Success with the built-in echo contacts (there is no server to
   * wait for). Clients read the list with GetContactListAttributes when they see Success.
   */
  download(): Signal[] {
    if (this.listState !== ContactListState.None) return [];
    const signals = [this.stateChanged(ContactListState.Waiting)];
    for (const contact of builtinEchoContacts) {
      this.byId.set(contact.id, { subscribe: SubscriptionState.Yes, publish: SubscriptionState.Yes, publishRequest: '', groups: new Set(contact.groups) });
    }
    signals.push(this.stateChanged(ContactListState.Success));
    return signals;
  }

  /** The handles of everyone on the roster, in the order they joined (allocated on first use). */
  handles(): number[] {
    return [...this.byId.keys()].map((id) => this.handleOf(id));
  }

  /** A contact's roster entry, if it is on the roster. */
  entryOf(handle: number): RosterEntry | undefined {
    return this.byId.get(this.idOf(handle));
  }

  /** NotAvailable, before anything changes, when adding these contacts would overfill the roster. */
  makeRoomFor(handles: readonly number[]): void {
    const newcomers = new Set(handles.filter((h) => !this.entryOf(h))).size;
    ensureRoom(this.byId.size, newcomers, Limits.rosterContacts, 'contacts on the roster');
  }

  /** Put a contact on the roster (No, No) when absent; the signals that adds. */
  ensure(handle: number): Signal[] {
    if (this.entryOf(handle)) return [];
    this.makeRoomFor([handle]);
    this.byId.set(this.idOf(handle), { subscribe: SubscriptionState.No, publish: SubscriptionState.No, publishRequest: '', groups: new Set() });
    return this.changed([handle]);
  }

  /** Ask now; the echo contact says yes after the reply and asks back with the same message. */
  requestSubscription(handles: readonly number[], message: string): RosterChange {
    const asked = handles.filter((h) => this.entryOf(h)?.subscribe !== SubscriptionState.Yes);
    this.makeRoomFor(asked);
    const now = [...asked.flatMap((h) => this.ensure(h)), ...this.update(asked, (e) => (e.subscribe = SubscriptionState.Ask))];
    const after = this.update(asked, (e) => {
      e.subscribe = SubscriptionState.Yes;
      if (e.publish !== SubscriptionState.Yes) [e.publish, e.publishRequest] = [SubscriptionState.Ask, message];
    });
    return { now, after };
  }

  /** Let contacts see the user's presence: an echo contact always wants to, so publish becomes Yes. */
  authorizePublication(handles: readonly number[]): Signal[] {
    this.makeRoomFor(handles);
    const added = handles.flatMap((h) => this.ensure(h));
    return [...added, ...this.update(handles, (e) => ([e.publish, e.publishRequest] = [SubscriptionState.Yes, '']))];
  }

  /** Stop seeing these contacts' presence (they stay on the roster). */
  unsubscribe(handles: readonly number[]): Signal[] {
    return this.update(handles, (e) => (e.subscribe = SubscriptionState.No));
  }

  /** Stop showing the user's presence to these contacts (they stay on the roster). */
  unpublish(handles: readonly number[]): Signal[] {
    return this.update(handles, (e) => ([e.publish, e.publishRequest] = [SubscriptionState.No, '']));
  }

  /** Remove contacts from the roster (and so from every group): their group changes, then the removal. */
  remove(handles: readonly number[]): Signal[] {
    const present = [...new Set(handles)].filter((h) => this.entryOf(h));
    const signals = present.flatMap((h) => {
      const groups = [...this.entryOf(h)!.groups];
      return groups.length === 0 ? [] : [this.signal(Iface.ContactGroups, 'GroupsChanged', [[h], [], groups])];
    });
    for (const h of present) this.byId.delete(this.idOf(h));
    return present.length === 0 ? signals : [...signals, ...this.contactsChanged({}, present)];
  }

  /** A contact's subscribe, publish and publish-request: No, No, '' when not on the roster. */
  statesOf(handle: number): [subscribe: number, publish: number, publishRequest: string] {
    const entry = this.entryOf(handle);
    return entry ? [entry.subscribe, entry.publish, entry.publishRequest] : [SubscriptionState.No, SubscriptionState.No, ''];
  }

  /** ContactsChangedWithID then ContactsChanged, for these contacts as they now are. */
  changed(handles: readonly number[]): Signal[] {
    if (handles.length === 0) return [];
    return this.contactsChanged(Object.fromEntries(handles.map((h) => [String(h), this.statesOf(h)])), []);
  }

  private update(handles: readonly number[], change: (entry: RosterEntry) => void): Signal[] {
    const touched = [...new Set(handles)].filter((h) => {
      const entry = this.entryOf(h);
      if (!entry) return false;
      const before = JSON.stringify([entry.subscribe, entry.publish, entry.publishRequest]);
      change(entry);
      return JSON.stringify([entry.subscribe, entry.publish, entry.publishRequest]) !== before;
    });
    return this.changed(touched);
  }

  private contactsChanged(changes: Record<string, [number, number, string]>, removals: readonly number[]): Signal[] {
    const ids = (handles: readonly number[]) => Object.fromEntries(handles.map((h) => [String(h), this.idOf(h)]));
    const changedHandles = Object.keys(changes).map(Number);
    return [
      this.signal(Iface.ContactList, 'ContactsChangedWithID', [changes, ids(changedHandles), ids(removals)]),
      this.signal(Iface.ContactList, 'ContactsChanged', [changes, [...removals]]),
    ];
  }

  private stateChanged(state: number): Signal {
    this.listState = state;
    return this.signal(Iface.ContactList, 'ContactListStateChanged', [state]);
  }

  private signal(iface: string, member: string, args: unknown[]): Signal {
    return { path: this.path, interface: iface, member, args };
  }
}
