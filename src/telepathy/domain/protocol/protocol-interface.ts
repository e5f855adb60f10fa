/**
 * The Protocol object's one interface: account identity and contact normalisation for `echo`.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { reply } from '#telepathy/domain/bus/bus-object.js';
import { normalizeContactId } from '#telepathy/domain/connection/handles.js';
import { Args } from '#telepathy/domain/values/args.js';
import { parseParameters, protocolProperties } from './echo-protocol.js';

/** The methods and properties of `org.freedesktop.Telepathy.Protocol` for the `echo` protocol. */
export function protocolInterface(): BusInterface {
  const properties = Object.fromEntries(Object.entries(protocolProperties()).map(([name, value]) => [name, () => value]));
  return {
    methods: {
      IdentifyAccount: (call) => reply(parseParameters(new Args(call.args).variantMap(0, 'Parameters')).normalized),
      NormalizeContact: (call) => reply(normalizeContactId(new Args(call.args).string(0, 'Contact_ID'))),
    },
    properties,
  };
}
