/**
 * A protocol as the connection manager offers it: its parameters, its Protocol object, and what
 * a connection of it needs. The manager's protocol table lists every one.
 * @module
 */
import type { BusInterface } from '#telepathy/domain/bus/bus-object.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { ConnectionBehaviourFactory } from '#telepathy/domain/connection/connection-behaviour.js';
import type { VariantMap } from '#telepathy/domain/values/typed-values.js';
import type { ParamSpec } from './echo-protocol.js';

/** An account as a connection knows it. */
export interface ProtocolAccount {
  /** The account as given. */
  readonly account: string;
  /** The account's identity: it names the connection and its self contact. */
  readonly normalized: string;
}

/** What RequestConnection's parameters make. */
export interface ProtocolRequest {
  /** The account. */
  readonly account: ProtocolAccount;
  /** The connection's network side; absent for a protocol connected at once (the echo). */
  readonly behaviour?: ConnectionBehaviourFactory;
}

/** One protocol of the connection manager. */
export interface Protocol {
  /** Its name, as in `cave/NAME/...` account paths. */
  readonly name: string;
  /** Its Param_Specs, in the order the .manager file lists them. */
  readonly parameters: readonly ParamSpec[];
  /** The Protocol object's properties, by unqualified name. */
  properties(): Record<string, TypedValue>;
  /** Check parameters (IdentifyAccount, RequestConnection); InvalidArgument when wrong. */
  identify(parameters: VariantMap): ProtocolAccount;
  /** A contact id as the protocol compares them; InvalidHandle when it is not one. */
  normalizeContact(id: string): string;
  /** Check parameters and prepare a connection. */
  request(parameters: VariantMap): ProtocolRequest;
  /** Protocol.Interface.* interfaces of the Protocol object, by name. */
  readonly interfaces?: Readonly<Record<string, BusInterface>>;
}
