/**
 * One echo connection: status machine, handles, contacts, presence, and its text channels.
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { Aliases } from '#telepathy/domain/roster/aliases.js';
import { NO_AVATARS, type AvatarStore } from '#telepathy/domain/avatars/avatar-store.port.js';
import { ContactAvatars } from '#telepathy/domain/avatars/contact-avatars.js';
import { Roster } from '#telepathy/domain/roster/roster.js';
import { RosterGroups } from '#telepathy/domain/roster/roster-groups.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ReplyTiming } from '#telepathy/domain/clock/timer.port.js';
import { ConnectionStatus, Iface, PROTOCOL_NAME, StatusReason } from '#telepathy/domain/names/names.js';
import { normalizeRoomName } from '#telepathy/domain/room/echo-rooms.js';
import type { ProtocolAccount } from '#telepathy/domain/protocol/protocol.js';
import { s, type VariantMap } from '#telepathy/domain/values/typed-values.js';
import { aliasingInterface } from './aliasing.js';
import { avatarsInterface } from './avatars.js';
import type { ConnectionBehaviour, ConnectionBehaviourFactory, ConnectionFailure } from './connection-behaviour.js';
import { ConnectionChannels } from './connection-channels.js';
import { connectionInterface } from './connection-interface.js';
import { contactGroupsInterface } from './contact-groups.js';
import { contactListInterface } from './contact-list.js';
import { attributes, contactsInterface } from './contacts.js';
import { ContactHandles } from './handles.js';
import { echoedPresence, INITIAL_SELF_PRESENCE, type Presence } from './presence.js';
import { requestsInterface } from './requests.js';
import { simplePresenceInterface } from './simple-presence.js';

/** What a connection needs from the connection manager. */
export interface ConnectionHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The clock for message timestamps. */
  readonly clock: Clock;
  /** When the contact's answers arrive. */
  readonly replyTiming?: ReplyTiming | undefined;
  /** Make an object (the connection, a channel) reachable and routed. */
  export(object: BusObject): void;
  /** Remove an object from the bus and from routing. */
  unexport(path: string): void;
  /** End the connection (see {@link Connection.end}) with `reason` (default Requested) and release its bus name. */
  disconnect(connection: Connection, reason?: number): Promise<void>;
  /** The protocol, when not the echo: its name and how it compares contact ids. */
  readonly protocol?: ContactNormalizer;
  /** The protocol's network side, when it has one (the echo has none). */
  readonly behaviour?: ConnectionBehaviourFactory;
  /** The built-in contacts' pictures; none when absent. */
  readonly avatars?: AvatarStore;
}

/** A protocol's name and contact comparison, as a connection needs them. */
export interface ContactNormalizer {
  /** The protocol's name (GetProtocol). */
  readonly name: string;
  /** A contact id as the protocol compares them; InvalidHandle when it is not one. */
  normalizeContact(id: string): string;
}

/** One echo connection: status machine, handles, Contacts, SimplePresence, and its text channels. */
export class Connection {
  private currentStatus: number = ConnectionStatus.Disconnected;
  private selfPresence: Presence = INITIAL_SELF_PRESENCE;
  private tokens = 0;
  private ended = false;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The protocol's name (GetProtocol). */
  readonly protocolName: string;
  private readonly behaviour?: ConnectionBehaviour;
  /** The connection's room handles, a separate handle type. */
  readonly roomHandles = new ContactHandles(normalizeRoomName, 'room');
  /** The user's own contact: the self handle and identifier. */
  readonly self: Party;
  /** The connection's channel managers. */
  readonly channels: ConnectionChannels;
  /** The roster: the built-in echo contacts and whoever the user adds, for this connection's life. */
  readonly roster: Roster;
  /** The roster's contact groups. */
  readonly groups: RosterGroups;
  /** Contacts' aliases. */
  readonly aliases: Aliases;
  /** Contacts' avatars, the user's own included. */
  readonly avatars: ContactAvatars;

  constructor(
    /** The account as requested and normalised. */
    readonly account: ProtocolAccount,
    /** The connection's bus name (prefix and escaped account). */
    readonly busName: string,
    /** The connection's object path. */
    readonly path: string,
    private readonly host: ConnectionHost,
  ) {
    this.protocolName = host.protocol?.name ?? PROTOCOL_NAME;
    this.handles = new ContactHandles(host.protocol?.normalizeContact);
    const selfHandle = this.handles.ensure(account.normalized);
    this.self = { handle: selfHandle, id: account.normalized };
    this.roster = new Roster(path, (h) => this.handles.inspect(h), (id) => this.handles.ensure(id));
    this.groups = new RosterGroups(this.roster, path);
    this.aliases = new Aliases((h) => this.handles.inspect(h));
    this.avatars = new ContactAvatars(host.avatars ?? NO_AVATARS, (h) => this.handles.inspect(h), selfHandle);
    // Made before the channels, which send through it; it reaches them only later, at run time.
    this.behaviour = host.behaviour?.(this);
    this.channels = new ConnectionChannels({
      bus: host.bus,
      roomHandles: this.roomHandles,
      clock: host.clock,
      replyTiming: host.replyTiming,
      self: this.self,
      path,
      handles: this.handles,
      nextToken: () => `${++this.tokens}`,
      export: (object) => host.export(object),
      unexport: (objectPath) => host.unexport(objectPath),
      ...(this.behaviour ? { messaging: this.behaviour.messaging } : {}),
    });
  }

  /** Whether the status is CONNECTED (methods that need a live connection check this). */
  get isConnected(): boolean {
    return this.status === ConnectionStatus.Connected;
  }

  /**
   * DISCONNECTED → CONNECTING → CONNECTED: at once for the echo (there is no server), after
   * signing in for a protocol with a network; harmless when already going.
   */
  connect(): Reply {
    if (this.status !== ConnectionStatus.Disconnected) return reply();
    this.changeStatus(ConnectionStatus.Connecting, StatusReason.Requested);
    const behaviour = this.behaviour;
    if (!behaviour) {
      this.becomeConnected();
      // The built-in echo contacts are the echo protocol's roster; a mail account has none.
      this.emitAll(this.roster.download());
      return reply();
    }
    behaviour.signIn().then(
      () => {
        if (this.status !== ConnectionStatus.Connecting) return; // disconnected while signing in
        this.becomeConnected();
        behaviour.connected();
      },
      (failure: ConnectionFailure) => this.fail(failure),
    );
    return reply();
  }

  private becomeConnected(): void {
    this.changeStatus(ConnectionStatus.Connected, StatusReason.Requested);
    this.emitPresences([this.self.handle]);
  }

  /** ConnectionError, then (through the manager) Disconnected with the failure's reason; once. */
  fail(failure: ConnectionFailure): void {
    if (this.ended) return;
    this.host.bus.emit(this.signal(Iface.Connection, 'ConnectionError', [failure.errorName, { 'debug-message': s(failure.message) }]));
    void this.host.disconnect(this, failure.reason);
  }

  /**
   * Close every channel, announce DISCONNECTED, and leave the bus; called once. The caller
   * releases the bus name afterwards: nothing is emitted after the status.
   */
  end(reason: number): void {
    this.ended = true;
    this.behaviour?.signOut();
    this.channels.closeAll();
    this.changeStatus(ConnectionStatus.Disconnected, reason);
    this.host.unexport(this.path);
  }

  /** End the connection and release its bus name (the Disconnect method). */
  disconnect(): Promise<void> {
    return this.host.disconnect(this);
  }

  /** The connection object: one builder per D-Bus interface, as telepathy-glib's `*_iface_init`. */
  busObject(): BusObject {
    return busObjectOf(this.path, {
      [Iface.Connection]: connectionInterface(this),
      [Iface.Requests]: requestsInterface(this),
      [Iface.Contacts]: contactsInterface(this),
      [Iface.SimplePresence]: simplePresenceInterface(this),
      [Iface.ContactList]: contactListInterface(this),
      [Iface.ContactGroups]: contactGroupsInterface(this),
      [Iface.Aliasing]: aliasingInterface(this),
      [Iface.Avatars]: avatarsInterface(this),
    });
  }

  /** The Connection_Status. */
  get status(): number {
    return this.currentStatus;
  }

  /** Set the user's own presence (SetPresence announces it when connected). */
  setSelfPresence(presence: Presence): void {
    this.selfPresence = presence;
  }

  /** A contact's current presence: the user's own as set; every other contact echoes it. */
  presenceOf(handle: number): Presence {
    return handle === this.self.handle ? this.selfPresence : echoedPresence(this.selfPresence);
  }

  /** Every contact but the user, in handle order. */
  get otherContacts(): number[] {
    return this.handles.all().filter((h) => h !== this.self.handle);
  }

  /** A contact's attributes for these interfaces, as Contacts.GetContactAttributes gives them. */
  attributesOf(handle: number, interfaces: readonly string[]): VariantMap {
    return attributes(this, handle, [...interfaces, Iface.ContactList]);
  }

  /** Emit signals now, in order. */
  emitAll(signals: readonly Signal[]): void {
    for (const signal of signals) this.host.bus.emit(signal);
  }

  /** The presences of these contacts, keyed by handle as a decimal string. */
  presenceMap(handles: readonly number[]): Record<string, Presence> {
    return Object.fromEntries(handles.map((h) => [String(h), [...this.presenceOf(h)] as Presence]));
  }

  /** Emit PresencesChanged for these contacts. */
  emitPresences(handles: readonly number[]): void {
    this.host.bus.emit(this.signal(Iface.SimplePresence, 'PresencesChanged', [this.presenceMap(handles)]));
  }

  private changeStatus(status: number, reason: number): void {
    this.currentStatus = status;
    this.host.bus.emit(this.signal(Iface.Connection, 'StatusChanged', [status, reason]));
  }

  private signal(iface: string, member: string, args: unknown[]): Signal {
    return { path: this.path, interface: iface, member, args };
  }
}
