/**
 * The ConnectionManager object's one interface: its protocols, and RequestConnection.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { notImplemented } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { Protocol } from '#telepathy/domain/protocol/protocol.js';
import { Args } from '#telepathy/domain/values/args.js';
import { as, tv, type VariantMap } from '#telepathy/domain/values/typed-values.js';

/** What the ConnectionManager interface needs from the manager. */
export interface ConnectionManagerInterfaceHost {
  /** Check the parameters, make the connection, and answer with its bus name and path. */
  requestConnection(protocol: Protocol, parameters: VariantMap): Promise<Reply>;
}

/** The methods and properties of `org.freedesktop.Telepathy.ConnectionManager`. */
export function connectionManagerInterface(
  manager: ConnectionManagerInterfaceHost, protocols: ReadonlyMap<string, Protocol>,
): BusInterface {
  const named = (name: string): Protocol => {
    const protocol = protocols.get(name);
    if (!protocol) throw notImplemented(`protocol ${JSON.stringify(name)} is not supported`);
    return protocol;
  };
  return {
    methods: {
      GetParameters: (call) => reply(named(new Args(call.args).string(0, 'Protocol')).parameters.map((spec) => [...spec])),
      ListProtocols: () => reply([...protocols.keys()]),
      RequestConnection: (call) => {
        const args = new Args(call.args);
        const protocol = named(args.string(0, 'Protocol'));
        return manager.requestConnection(protocol, args.variantMap(1, 'Parameters'));
      },
    },
    properties: {
      Protocols: () => tv('a{sa{sv}}', Object.fromEntries([...protocols.values()].map((p) => [p.name, qualified(p)]))),
      Interfaces: () => as([]),
    },
  };
}

/** A protocol's properties fully qualified, as the Protocols map carries them, its interfaces' (Addressing) included. */
function qualified(protocol: Protocol): VariantMap {
  const own = Object.entries(protocol.properties()).map(([k, v]) => [`${Iface.Protocol}.${k}`, v] as const);
  const ifaces = Object.entries(protocol.interfaces ?? {}).flatMap(([name, iface]) =>
    Object.entries(iface.properties).map(([k, read]) => [`${name}.${k}`, read()] as const));
  return Object.fromEntries([...own, ...ifaces]);
}
