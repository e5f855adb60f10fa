/**
 * The Protocol object's one interface: account identity and contact normalisation.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import { Args } from '#telepathy/domain/values/args.js';
import type { Protocol } from './protocol.js';

/** The methods and properties of `org.freedesktop.Telepathy.Protocol` for one protocol. */
export function protocolInterface(protocol: Protocol): BusInterface {
  const properties = Object.fromEntries(Object.entries(protocol.properties()).map(([name, value]) => [name, () => value]));
  return {
    methods: {
      IdentifyAccount: (call) => reply(protocol.identify(new Args(call.args).variantMap(0, 'Parameters')).normalized),
      NormalizeContact: (call) => reply(protocol.normalizeContact(new Args(call.args).string(0, 'Contact_ID'))),
    },
    properties,
  };
}
