/**
 * One echo connection: status machine, handles, contacts, presence, and its text channels.
 * @module
 */
import type { BusPort, Reply, Signal } from '#telepathy/domain/bus/bus.port.js';
import { reply, type BusObject } from '#telepathy/domain/bus/bus-object.js';
import type { Clock } from '#telepathy/domain/clock/clock.port.js';
import { disconnected, invalidArgument, notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { ContactHandles } from './handles.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import { ConnectionStatus, HandleType, Iface, PROTOCOL_NAME, StatusReason } from '#telepathy/domain/names/names.js';
import { CONTACT_PRESENCE, INITIAL_SELF_PRESENCE, requestedPresence, statusesProperty, type Presence } from './presence.js';
import { CONNECTION_INTERFACES, requestableChannelClasses, type EchoAccount } from '#telepathy/domain/protocol/echo-protocol.js';
import { TextChannels } from '#telepathy/domain/channel/text-channels.js';
import { Args, as, b, s, tv, u, type VariantMap } from '#telepathy/domain/values/values.js';

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
  /** End the connection (see {@link Connection.end}) and release its bus name. */
  disconnect(connection: Connection): Promise<void>;
}

const CONTACT_ID = `${Iface.Connection}/contact-id`;
const PRESENCE_ATTRIBUTE = `${Iface.SimplePresence}/presence`;

/** One echo connection: status machine, handles, Contacts, SimplePresence, and its text channels. */
export class Connection {
  private status: number = ConnectionStatus.Disconnected;
  private selfPresence: Presence = INITIAL_SELF_PRESENCE;
  private tokens = 0;
  private readonly handles = new ContactHandles();
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

  /** The connection's methods and properties, for routing. */
  busObject(): BusObject {
    const live = <A extends unknown[]>(f: (...a: A) => Reply) => (...a: A) => {
      if (!this.isConnected) throw disconnected('the connection is not connected');
      return f(...a);
    };
    return {
      path: this.path,
      interfaces: [Iface.Connection, ...CONNECTION_INTERFACES],
      methods: {
        [Iface.Connection]: {
          Connect: () => this.connect(),
          Disconnect: async () => {
            await this.host.disconnect(this);
            return reply();
          },
          GetInterfaces: () => reply([...CONNECTION_INTERFACES]),
          GetProtocol: () => reply(PROTOCOL_NAME),
          GetStatus: () => reply(this.status),
          GetSelfHandle: live(() => reply(this.self.handle)),
          RequestHandles: live((call) => {
            const args = new Args(call.args);
            checkHandleType(args.uint(0, 'Handle_Type'));
            const ids = args.strings(1, 'Identifiers');
            return reply(ids.map((id) => this.handles.ensure(id)));
          }),
          InspectHandles: live((call) => reply(this.validHandles(call.args).map((h) => this.handles.inspect(h)))),
          HoldHandles: live((call) => (this.validHandles(call.args), reply())),
          ReleaseHandles: live((call) => (this.validHandles(call.args), reply())),
          AddClientInterest: (call) => (new Args(call.args).strings(0, 'Tokens'), reply()),
          RemoveClientInterest: (call) => (new Args(call.args).strings(0, 'Tokens'), reply()),
        },
        [Iface.Requests]: {
          CreateChannel: live((call) => this.channels.create(new Args(call.args).variantMap(0, 'Request'))),
          EnsureChannel: live((call) => this.channels.ensure(new Args(call.args).variantMap(0, 'Request'))),
        },
        [Iface.Contacts]: {
          GetContactAttributes: live((call) => {
            const args = new Args(call.args);
            const handles = args.uints(0, 'Handles');
            const interfaces = args.strings(1, 'Interfaces');
            args.bool(2, 'Hold');
            const valid = handles.filter((h) => this.handles.isValid(h));
            return reply(Object.fromEntries(valid.map((h) => [String(h), this.attributes(h, interfaces)])));
          }),
          GetContactByID: live((call) => {
            const args = new Args(call.args);
            const handle = this.handles.ensure(args.string(0, 'Identifier'));
            return reply(handle, this.attributes(handle, args.strings(1, 'Interfaces')));
          }),
        },
        [Iface.SimplePresence]: {
          SetPresence: (call) => {
            const args = new Args(call.args);
            this.selfPresence = requestedPresence(args.string(0, 'Status'), args.string(1, 'Status_Message'));
            if (this.isConnected) this.emitPresences([this.self.handle]);
            return reply();
          },
          GetPresences: live((call) => {
            const handles = new Args(call.args).uints(0, 'Contacts');
            for (const handle of handles) this.handles.inspect(handle);
            return reply(this.presenceMap(handles));
          }),
        },
      },
      properties: {
        [Iface.Connection]: {
          Interfaces: () => as(CONNECTION_INTERFACES),
          SelfHandle: () => u(this.self.handle),
          SelfID: () => s(this.self.id),
          Status: () => u(this.status),
          HasImmortalHandles: () => b(true),
        },
        [Iface.Requests]: {
          Channels: () => this.channels.channelsProperty(),
          RequestableChannelClasses: () => requestableChannelClasses(),
        },
        [Iface.Contacts]: { ContactAttributeInterfaces: () => as([Iface.Connection, Iface.SimplePresence]) },
        [Iface.SimplePresence]: {
          Statuses: () => statusesProperty(),
          MaximumStatusMessageLength: () => u(0),
        },
      },
    };
  }

  private changeStatus(status: number, reason: number): void {
    this.status = status;
    this.host.bus.emit(this.signal(Iface.Connection, 'StatusChanged', [status, reason]));
  }

  /** Handle-type and handle checks shared by Inspect/Hold/Release. */
  private validHandles(rawArgs: readonly unknown[]): number[] {
    const args = new Args(rawArgs);
    checkHandleType(args.uint(0, 'Handle_Type'));
    const handles = args.uints(1, 'Handles');
    for (const handle of handles) this.handles.inspect(handle);
    return handles;
  }

  private presenceOf(handle: number): Presence {
    return handle === this.self.handle ? this.selfPresence : CONTACT_PRESENCE;
  }

  private presenceMap(handles: readonly number[]): Record<string, Presence> {
    return Object.fromEntries(handles.map((h) => [String(h), [...this.presenceOf(h)] as Presence]));
  }

  private emitPresences(handles: readonly number[]): void {
    this.host.bus.emit(this.signal(Iface.SimplePresence, 'PresencesChanged', [this.presenceMap(handles)]));
  }

  /** Contact attributes: the identifier always, presence when asked for; unknown interfaces are ignored. */
  private attributes(handle: number, interfaces: readonly string[]): VariantMap {
    const attributes: VariantMap = { [CONTACT_ID]: s(this.handles.inspect(handle)) };
    if (interfaces.includes(Iface.SimplePresence)) attributes[PRESENCE_ATTRIBUTE] = tv('(uss)', [...this.presenceOf(handle)]);
    return attributes;
  }

  private signal(iface: string, member: string, args: unknown[]): Signal {
    return { path: this.path, interface: iface, member, args };
  }
}

/** Contact handles are the only kind an echo connection has. */
function checkHandleType(type: number): void {
  if (type === HandleType.Contact) return;
  if (type <= HandleType.Group) throw notImplemented(`handle type ${type} is not supported`);
  throw invalidArgument(`${type} is not a handle type`);
}
