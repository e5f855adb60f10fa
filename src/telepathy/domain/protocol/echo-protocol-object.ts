/**
 * The `echo` protocol as the connection manager's protocol table holds it.
 * @module
 */
import { normalizeContactId } from '#telepathy/domain/connection/handles.js';
import { Iface, PROTOCOL_NAME } from '#telepathy/domain/names/names.js';
import { ECHO_PARAMETERS, parseParameters, protocolProperties } from './echo-protocol.js';
import { protocolAvatarsInterface } from '#telepathy/domain/avatars/avatar-requirements.js';
import { protocolPresenceInterface } from './protocol-presence.js';
import type { Protocol } from './protocol.js';

/** The echo: one `account` parameter, connected at once, every message comes straight back. */
export const ECHO_PROTOCOL: Protocol = {
  name: PROTOCOL_NAME,
  parameters: ECHO_PARAMETERS,
  properties: protocolProperties,
  identify: parseParameters,
  normalizeContact: normalizeContactId,
  request: (parameters) => ({ account: parseParameters(parameters) }),
  interfaces: { [Iface.ProtocolPresence]: protocolPresenceInterface(), [Iface.ProtocolAvatars]: protocolAvatarsInterface() },
};
