/**
 * The Connection interface itself: status, the self handle, and handle requests.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { invalidArgument, notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { HandleType } from '#telepathy/domain/names/names.js';
import { CONNECTION_INTERFACES } from '#telepathy/domain/protocol/echo-protocol.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as, b, s, u } from '#telepathy/domain/values/typed-values.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { ConnectionChannels } from './connection-channels.js';

/** What the Connection interface needs from its connection. */
export interface ConnectionInterfaceHost {
  /** The Connection_Status. */
  readonly status: number;
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The user's own contact. */
  readonly self: Party;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The connection's channel managers (for the old ListChannels and RequestChannel). */
  readonly channels: ConnectionChannels;
  /** The connection's room handles. */
  readonly roomHandles: ContactHandles;
  /** The protocol's name (GetProtocol). */
  readonly protocolName: string;
  /** Go CONNECTING, then CONNECTED (the Connect method). */
  connect(): Reply;
  /** End the connection and release its bus name. */
  disconnect(): Promise<void>;
}

/** The methods and properties of `org.freedesktop.Telepathy.Connection`. */
export function connectionInterface(conn: ConnectionInterfaceHost): BusInterface {
  const live = connectedOnly(conn);
  return {
    methods: {
      Connect: () => conn.connect(),
      Disconnect: async () => {
        await conn.disconnect();
        return reply();
      },
      GetInterfaces: () => reply([...CONNECTION_INTERFACES]),
      GetProtocol: () => reply(conn.protocolName),
      GetStatus: () => reply(conn.status),
      GetSelfHandle: live(() => reply(conn.self.handle)),
      RequestHandles: live((call) => {
        const args = new Args(call.args);
        const handles = repository(conn, args.uint(0, 'Handle_Type'));
        const ids = args.strings(1, 'Identifiers');
        return reply(ids.map((id) => handles.ensure(id)));
      }),
      InspectHandles: live((call) => reply(validHandles(conn, call.args))),
      HoldHandles: live((call) => (validHandles(conn, call.args), reply())),
      ReleaseHandles: live((call) => (validHandles(conn, call.args), reply())),
      ListChannels: live(() => reply(conn.channels.listOld())),
      RequestChannel: live((call) => {
        const args = new Args(call.args);
        return conn.channels.requestOld(args.string(0, 'Type'), args.uint(1, 'Handle_Type'), args.uint(2, 'Handle'), args.bool(3, 'Suppress_Handler'));
      }),
      AddClientInterest: (call) => (new Args(call.args).strings(0, 'Tokens'), reply()),
      RemoveClientInterest: (call) => (new Args(call.args).strings(0, 'Tokens'), reply()),
    },
    properties: {
      Interfaces: () => as(CONNECTION_INTERFACES),
      SelfHandle: () => u(conn.self.handle),
      SelfID: () => s(conn.self.id),
      Status: () => u(conn.status),
      HasImmortalHandles: () => b(true),
    },
  };
}

/** Handle-type and handle checks shared by Inspect/Hold/Release: the identifiers of valid handles. */
function validHandles(conn: ConnectionInterfaceHost, rawArgs: readonly unknown[]): string[] {
  const args = new Args(rawArgs);
  const repo = repository(conn, args.uint(0, 'Handle_Type'));
  return args.uints(1, 'Handles').map((handle) => repo.inspect(handle));
}

/** Contacts and rooms are separate handle types, each with its own handles. */
function repository(conn: ConnectionInterfaceHost, type: number): ContactHandles {
  if (type === HandleType.Contact) return conn.handles;
  if (type === HandleType.Room) return conn.roomHandles;
  if (type <= HandleType.Group) throw notImplemented(`handle type ${type} is not supported`);
  throw invalidArgument(`${type} is not a handle type`);
}
