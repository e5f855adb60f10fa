/**
 * The `cave` connection manager: the one {@link BusObjectHandler} a bus drives. It exports the
 * manager and `echo` protocol objects, creates connections on request, and routes every call and
 * property read to the object at its path.
 * @module
 */
import { busObjectOf, callMethod, propertyNamesOf, readProperty, reply, writeProperty, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { BusObjectHandler, BusPort, MethodCall, Reply, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { AvatarStore } from '#telepathy/domain/avatars/avatar-store.port.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import { DEFAULT_ECHO_DELAY_MS, type Timer } from '#telepathy/domain/clock/timer.port.js';
import { Connection } from '#telepathy/domain/connection/connection.js';
import { DEBUG_PATH, debugInterface, type DebugMessages } from '#telepathy/domain/debug/debug-messages.js';
import { ErrorNames, notAvailable, TelepathyError } from '#telepathy/domain/errors/telepathy-error.js';
import { escapeAsIdentifier } from '#telepathy/domain/names/escape.js';
import {
  CM_BUS_NAME,
  CM_PATH,
  connectionBusNamePrefix,
  connectionPathPrefix,
  Iface,
  protocolPath,
  StatusReason,
} from '#telepathy/domain/names/names.js';
import type { MailNetwork } from '#telepathy/domain/email/mail-network.port.js';
import type { RandomBytes } from '#telepathy/domain/email/make-message-id.js';
import { protocolInterface } from '#telepathy/domain/protocol/protocol-interface.js';
import type { Protocol } from '#telepathy/domain/protocol/protocol.js';
import type { VariantMap } from '#telepathy/domain/values/typed-values.js';
import { connectionManagerInterface } from './connection-manager-interface.js';
import { protocolTable } from './protocol-table.js';

/** What the connection manager needs besides a bus. */
export interface ConnectionManagerOptions {
  /** Where message timestamps come from. */
  readonly clock: Clock;
  /** Delivers the contact's answers (echoes, reports) as separate, later messages; without it they follow the reply at once. */
  readonly timer?: Timer;
  /** How long after a message its echo arrives (default {@link DEFAULT_ECHO_DELAY_MS}). */
  readonly echoDelayMs?: number;
  /** The log a debug viewer reads; with it, the Debug object is exported at {@link DEBUG_PATH}. */
  readonly debug?: DebugMessages;
  /** The mail network for `email` connections, and random bytes for Message-IDs; without it `email` refuses connections. */
  readonly mail?: ManagerMail;
  /** The built-in echo contacts' pictures; without it they have no avatar. */
  readonly avatars?: AvatarStore;
}

/** The mail side of the manager's options. */
export interface ManagerMail {
  /** The mail network (IMAP and SMTP in the daemon). */
  readonly network: MailNetwork;
  /** Random bytes for Message-IDs. */
  readonly randomBytes: RandomBytes;
}

/** Called whenever the number of live connections changes, with the new number. */
export type ConnectionCountListener = (live: number) => void;

export class ConnectionManager implements BusObjectHandler {
  private readonly objects = new Map<string, BusObject>();
  /** Connections by normalised account, from the request until their bus name is released. */
  private readonly connections = new Map<string, Connection>();
  /** Accounts whose connection is being created (waiting for its bus name). */
  private readonly reserved = new Set<string>();
  private shuttingDown = false;
  private readonly listeners = new Set<ConnectionCountListener>();
  /** Disconnections under way, so a second Disconnect or a shutdown waits for the same one. */
  private readonly ending = new Map<Connection, Promise<void>>();
  private readonly protocols: ReadonlyMap<string, Protocol>;

  constructor(
    private readonly bus: BusPort,
    private readonly options: ConnectionManagerOptions,
  ) {
    this.protocols = protocolTable(options.mail && { ...options.mail, clock: options.clock });
  }

  /** Export the manager and protocol objects, then own the manager's well-known name. */
  async start(): Promise<void> {
    this.export(busObjectOf(CM_PATH, { [Iface.ConnectionManager]: connectionManagerInterface(this, this.protocols) }));
    for (const protocol of this.protocols.values()) {
      this.export(busObjectOf(protocolPath(protocol.name), { [Iface.Protocol]: protocolInterface(protocol), ...protocol.interfaces }));
    }
    const debug = this.options.debug;
    if (debug) {
      this.export(busObjectOf(DEBUG_PATH, { [Iface.Debug]: debugInterface(debug) }));
      debug.attach((signal) => this.bus.emit(signal));
    }
    await this.bus.requestName(CM_BUS_NAME);
  }

  /** How many connections exist (requested and not yet fully disconnected). */
  get liveConnections(): number {
    return this.connections.size;
  }

  /** Observe the number of live connections, e.g. to exit after a quiet period at zero. */
  onConnectionCountChange(listener: ConnectionCountListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Disconnect every connection with the proper signals (e.g. on SIGTERM); refuse new ones from now on. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([...this.connections.values()].map((connection) => this.disconnect(connection)));
  }

  call(call: MethodCall): Reply | Promise<Reply> {
    return callMethod(this.objectAt(call.path), call);
  }

  getProperty(path: string, iface: string, name: string): TypedValue {
    return readProperty(this.objects.get(path), iface, name);
  }

  propertyNames(path: string, iface: string): readonly string[] {
    return propertyNamesOf(this.objects.get(path), iface);
  }

  setProperty(path: string, iface: string, name: string, value: TypedValue): void {
    writeProperty(this.objects.get(path), iface, name, value);
  }

  private objectAt(path: string): BusObject {
    const object = this.objects.get(path);
    if (!object) throw new TelepathyError(ErrorNames.UnknownMethod, `no object at ${path}`);
    return object;
  }

  private export(object: BusObject): void {
    this.objects.set(object.path, object);
    this.bus.addObject(object.path, object.interfaces);
  }

  private unexport(path: string): void {
    this.objects.delete(path);
    this.bus.removeObject(path);
  }

  /** Check, reserve the account, own the connection's name, export it, then answer. */
  async requestConnection(protocol: Protocol, parameters: VariantMap): Promise<Reply> {
    const { account, behaviour } = protocol.request(parameters);
    if (this.shuttingDown) throw notAvailable('the connection manager is shutting down');
    // Accounts are told apart per protocol, as their bus names are.
    const key = `${protocol.name}/${account.normalized}`;
    if (this.connections.has(key) || this.reserved.has(key)) {
      throw notAvailable(`a connection for account ${account.normalized} already exists`);
    }
    const escaped = escapeAsIdentifier(account.normalized);
    const name = protocol.name;
    const connection = new Connection(account, connectionBusNamePrefix(name) + escaped, connectionPathPrefix(name) + escaped, {
      bus: this.bus,
      clock: this.options.clock,
      replyTiming: this.options.timer && { timer: this.options.timer, delayMs: this.options.echoDelayMs ?? DEFAULT_ECHO_DELAY_MS },
      export: (object) => this.export(object),
      unexport: (path) => this.unexport(path),
      disconnect: (c, reason) => this.disconnect(c, reason),
      protocol,
      ...(behaviour ? { behaviour } : {}),
      ...(this.options.avatars ? { avatars: this.options.avatars } : {}),
    });
    this.reserved.add(key);
    try {
      await this.bus.requestName(connection.busName);
    } catch {
      throw notAvailable(`the bus name ${connection.busName} is taken`);
    } finally {
      this.reserved.delete(key);
    }
    if (this.shuttingDown) {
      await this.bus.releaseName(connection.busName);
      throw notAvailable('the connection manager is shutting down');
    }
    // Exported only once named, so nothing can reach (or disconnect) a half-made connection.
    this.connections.set(key, connection);
    this.export(connection.busObject());
    this.notifyCount();
    this.bus.emit({
      path: CM_PATH,
      interface: Iface.ConnectionManager,
      member: 'NewConnection',
      args: [connection.busName, connection.path, name],
    });
    return reply(connection.busName, connection.path);
  }

  /** End a connection once; its account becomes free only when its name is released. */
  private disconnect(connection: Connection, reason: number = StatusReason.Requested): Promise<void> {
    const under = this.ending.get(connection);
    if (under) return under;
    connection.end(reason);
    const done = this.bus.releaseName(connection.busName).finally(() => {
      this.ending.delete(connection);
      this.connections.delete(`${connection.protocolName}/${connection.account.normalized}`);
      this.notifyCount();
    });
    this.ending.set(connection, done);
    return done;
  }

  private notifyCount(): void {
    for (const listener of this.listeners) listener(this.connections.size);
  }
}

/** The `cave` connection manager on a bus; call {@link ConnectionManager.start} to export it and own its name. */
export function createConnectionManager(bus: BusPort, options: ConnectionManagerOptions): ConnectionManager {
  return new ConnectionManager(bus, options);
}
