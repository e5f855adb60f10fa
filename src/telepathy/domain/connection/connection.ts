/**
 * One echo connection: status machine, handles, contacts, presence, and its text channels.
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { busObjectOf, reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { TextChannels } from '#telepathy/domain/channel/text-channels.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import type { ReplyTiming } from '#telepathy/domain/clock/timer.port.js';
import { ConnectionStatus, Iface, StatusReason } from '#telepathy/domain/names/names.js';
import type { EchoAccount } from '#telepathy/domain/protocol/echo-protocol.js';
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
  /** When the contact's answers arrive. */
  readonly replyTiming?: ReplyTiming | undefined;
  /** Make an object (the connection, a channel) reachable and routed. */
  export(object: BusObject): void;
  /** Remove an object from the bus and from routing. */
  unexport(path: string): void;
  /** End the connection (see {@link Connection.end}) and release its bus name. */
  disconnect(connection: Connection): Promise<void>;
}

/** One echo connection: status machine, handles, Contacts, SimplePresence, and its text channels. */
export class Connection {
  private currentStatus: number = ConnectionStatus.Disconnected;
  private selfPresence: Presence = INITIAL_SELF_PRESENCE;
  private tokens = 0;
  /** The connection's contact handles. */
  readonly handles = new ContactHandles();
  /** The user's own contact: the self handle and identifier. */
  readonly self: Party;
  /** The connection's channel manager. */
  readonly channels: TextChannels;

  constructor(
    /** The account as requested and normalised. */
    readonly account: EchoAccount,
    /** The connection's bus name (prefix and escaped account). */
    readonly busName: string,
    /** The connection's object path. */
    readonly path: string,
    private readonly host: ConnectionHost,
  ) {
    const selfHandle = this.handles.ensure(account.normalized);
    this.self = { handle: selfHandle, id: account.normalized };
    this.channels = new TextChannels({
      bus: host.bus,
      clock: host.clock,
      replyTiming: host.replyTiming,
      self: this.self,
      path,
      handles: this.handles,
      nextToken: () => `${++this.tokens}`,
      export: (object) => host.export(object),
      unexport: (objectPath) => host.unexport(objectPath),
    });
  }

  /** Whether the status is CONNECTED (methods that need a live connection check this). */
  get isConnected(): boolean {
    return this.status === ConnectionStatus.Connected;
  }

  /** DISCONNECTED → CONNECTING → CONNECTED at once (there is no server); harmless when already going. */
  connect(): Reply {
    if (this.status !== ConnectionStatus.Disconnected) return reply();
    this.changeStatus(ConnectionStatus.Connecting, StatusReason.Requested);
    this.changeStatus(ConnectionStatus.Connected, StatusReason.Requested);
    this.emitPresences([this.self.handle]);
    return reply();
  }

  /**
   * Close every channel, announce DISCONNECTED, and leave the bus; called once. The caller
   * releases the bus name afterwards: nothing is emitted after the status.
   */
  end(reason: number): void {
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
