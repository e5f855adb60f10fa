/**
 * One echo connection: status machine, handles, contacts, presence, and its text channels.
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { TextChannels } from '#telepathy/domain/channel/text-channels.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import { ConnectionStatus, Iface, PROTOCOL_NAME, StatusReason } from '#telepathy/domain/names/names.js';
import { s } from '#telepathy/domain/values/typed-values.js';
import type { ProtocolAccount } from '#telepathy/domain/protocol/protocol.js';
import type { ConnectionBehaviour, ConnectionBehaviourFactory, ConnectionFailure } from './connection-behaviour.js';
import { connectionInterface } from './connection-interface.js';
import { contactsInterface } from './contacts.js';
import { ContactHandles } from './handles.js';
import { CONTACT_PRESENCE, INITIAL_SELF_PRESENCE, type Presence } from './presence.js';
import { requestsInterface } from './requests.js';
import { simplePresenceInterface } from './simple-presence.js';

/** What a connection needs from the connection manager. */
export interface ConnectionHost {
  /** The bus to emit signals on. */
  readonly bus: BusPort;
  /** The clock for message timestamps. */
  readonly clock: Clock;
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
  /** The user's own contact: the self handle and identifier. */
  readonly self: Party;
  /** The connection's channel manager. */
  readonly channels: TextChannels;

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
    // Made before the channels, which send through it; it reaches them only later, at run time.
    this.behaviour = host.behaviour?.(this);
    this.channels = new TextChannels({
      bus: host.bus,
      clock: host.clock,
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
    if (!this.behaviour) {
      this.becomeConnected();
      return reply();
    }
    const behaviour = this.behaviour;
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

  /** A contact's current presence: the user's own as set, every other contact available. */
  presenceOf(handle: number): Presence {
    return handle === this.self.handle ? this.selfPresence : CONTACT_PRESENCE;
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
