/**
 * The Connection interface itself: status, the self handle, and handle requests.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { invalidArgument, notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { HandleType, PROTOCOL_NAME } from '#telepathy/domain/names/names.js';
import { CONNECTION_INTERFACES } from '#telepathy/domain/protocol/echo-protocol.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as, b, s, u } from '#telepathy/domain/values/typed-values.js';
import { connectedOnly } from './connected-only.js';
import type { ContactHandles } from './handles.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { TextChannels } from '#telepathy/domain/channel/text-channels.js';

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
  /** The connection's channel manager (for the old ListChannels and RequestChannel). */
  readonly channels: TextChannels;
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
      GetProtocol: () => reply(PROTOCOL_NAME),
      GetStatus: () => reply(conn.status),
      GetSelfHandle: live(() => reply(conn.self.handle)),
      RequestHandles: live((call) => {
        const args = new Args(call.args);
        checkHandleType(args.uint(0, 'Handle_Type'));
        const ids = args.strings(1, 'Identifiers');
        return reply(ids.map((id) => conn.handles.ensure(id)));
      }),
      InspectHandles: live((call) => reply(validHandles(conn.handles, call.args).map((h) => conn.handles.inspect(h)))),
      HoldHandles: live((call) => (validHandles(conn.handles, call.args), reply())),
      ReleaseHandles: live((call) => (validHandles(conn.handles, call.args), reply())),
      ListChannels: live(() => reply(conn.channels.list())),
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

/** Handle-type and handle checks shared by Inspect/Hold/Release. */
function validHandles(contacts: ContactHandles, rawArgs: readonly unknown[]): number[] {
  const args = new Args(rawArgs);
  checkHandleType(args.uint(0, 'Handle_Type'));
  const handles = args.uints(1, 'Handles');
  for (const handle of handles) contacts.inspect(handle);
  return handles;
}

/** Contact handles are the only kind an echo connection has. */
function checkHandleType(type: number): void {
  if (type === HandleType.Contact) return;
  if (type <= HandleType.Group) throw notImplemented(`handle type ${type} is not supported`);
  throw invalidArgument(`${type} is not a handle type`);
}
