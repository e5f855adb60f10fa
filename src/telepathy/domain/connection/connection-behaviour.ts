/**
 * What a protocol adds to a connection when there is a real network behind it: signing in,
 * failing, and its own way of sending. The echo has none of this (it is connected at once).
 * @module
 */
import type { ChannelMessaging } from '#telepathy/domain/channel/channel-messaging.js';
import type { Party } from '#telepathy/domain/channel/message.js';
import type { TextChannels } from '#telepathy/domain/channel/text-channels.js';
import type { ContactHandles } from './handles.js';

/** Why a connection cannot go on: the D-Bus error for ConnectionError and the Connection_Status_Reason. */
export class ConnectionFailure extends Error {
  constructor(
    /** The ConnectionError's error name, e.g. `org.freedesktop.Telepathy.Error.AuthenticationFailed`. */
    readonly errorName: string,
    /** The Connection_Status_Reason of the StatusChanged to Disconnected. */
    readonly reason: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionFailure';
  }
}

/** The side of a connection its protocol sees. */
export interface ConnectionView {
  /** The user's own contact. */
  readonly self: Party;
  /** The connection's contact handles. */
  readonly handles: ContactHandles;
  /** The connection's channel managers: a protocol's conversations are its text channels. */
  readonly channels: {
    /** Text channels to contacts. */
    readonly text: TextChannels;
  };
  /** End the connection for `failure`: ConnectionError, then StatusChanged to Disconnected with its reason. */
  fail(failure: ConnectionFailure): void;
}

/** A protocol's part in a connection's life. */
export interface ConnectionBehaviour {
  /** Sign in to the network; rejects with a {@link ConnectionFailure}. */
  signIn(): Promise<void>;
  /** The connection is CONNECTED: deliver what arrived while signing in. */
  connected(): void;
  /** The connection ended: leave the network; nothing is reported after this. */
  signOut(): void;
  /** What sending on the connection's channels does. */
  readonly messaging: ChannelMessaging;
}

/** Makes a connection's behaviour once the connection exists. */
export type ConnectionBehaviourFactory = (connection: ConnectionView) => ConnectionBehaviour;
