/**
 * Connection.Interface.Requests: asking the connection for channels, and its list of them.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import { requestableChannelClasses } from '#telepathy/domain/protocol/echo-protocol.js';
import { Args } from '#telepathy/domain/values/args.js';
import type { ConnectionChannels } from './connection-channels.js';
import { connectedOnly } from './connected-only.js';

/** What the Requests interface needs from its connection. */
export interface RequestsHost {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
  /** The connection's channel managers. */
  readonly channels: ConnectionChannels;
}

/** The methods and properties of `org.freedesktop.Telepathy.Connection.Interface.Requests`. */
export function requestsInterface(conn: RequestsHost): BusInterface {
  const live = connectedOnly(conn);
  return {
    methods: {
      CreateChannel: live((call) => conn.channels.create(new Args(call.args).variantMap(0, 'Request'))),
      EnsureChannel: live((call) => conn.channels.ensure(new Args(call.args).variantMap(0, 'Request'))),
    },
    properties: {
      Channels: () => conn.channels.channelsProperty(),
      RequestableChannelClasses: () => requestableChannelClasses(),
    },
  };
}
