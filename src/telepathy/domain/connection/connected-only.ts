/**
 * The guard on methods that need a live connection.
 * @module
 */
import type { Reply } from '#telepathy/domain/bus/bus.port.js';
import { disconnected } from '#telepathy/domain/errors/telepathy-error.js';

/** What the guard reads: whether the connection's status is CONNECTED. */
export interface ConnectionStatusView {
  /** Whether the status is CONNECTED. */
  readonly isConnected: boolean;
}

/** Wrap a method so that it fails with Disconnected unless the connection is CONNECTED. */
export function connectedOnly(connection: ConnectionStatusView) {
  return <A extends unknown[]>(f: (...a: A) => Reply) =>
    (...a: A): Reply => {
      if (!connection.isConnected) throw disconnected('the connection is not connected');
      return f(...a);
    };
}
