/**
 * The ConnectionManager object's one interface: its protocols, and RequestConnection.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { PROTOCOL_NAME } from '#telepathy/domain/names/names.js';
import { ECHO_PARAMETERS, qualifiedProtocolProperties } from '#telepathy/domain/protocol/echo-protocol.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as, tv, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** What the ConnectionManager interface needs from the manager. */
export interface ConnectionManagerInterfaceHost {
  /** Check the parameters, make the connection, and answer with its bus name and path. */
  requestConnection(parameters: VariantMap): Promise<Reply>;
}

/** The methods and properties of `org.freedesktop.Telepathy.ConnectionManager`. */
export function connectionManagerInterface(manager: ConnectionManagerInterfaceHost): BusInterface {
  return {
    methods: {
      GetParameters: (call) => {
        checkProtocol(new Args(call.args).string(0, 'Protocol'));
        return reply(ECHO_PARAMETERS.map((spec) => [...spec]));
      },
      ListProtocols: () => reply([PROTOCOL_NAME]),
      RequestConnection: (call) => {
        const args = new Args(call.args);
        checkProtocol(args.string(0, 'Protocol'));
        return manager.requestConnection(args.variantMap(1, 'Parameters'));
      },
    },
    properties: {
      Protocols: () => tv('a{sa{sv}}', { [PROTOCOL_NAME]: qualifiedProtocolProperties() }),
      Interfaces: () => as([]),
    },
  };
}

function checkProtocol(protocol: string): void {
  if (protocol !== PROTOCOL_NAME) throw notImplemented(`protocol ${JSON.stringify(protocol)} is not supported`);
}
