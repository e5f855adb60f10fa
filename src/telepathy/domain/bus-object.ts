/** One object on the bus as the domain models it: a table of methods and properties per interface. */
import type { MethodCall, Reply, TypedValue } from './bus-port.js';
import { ErrorNames, TelepathyError } from './errors.js';

export type MethodImpl = (call: MethodCall) => Reply | Promise<Reply>;

export interface BusObject {
  readonly path: string;
  /** Interfaces exported on the bus for this object (Properties and Introspectable are the bus's). */
  readonly interfaces: readonly string[];
  readonly methods: Readonly<Record<string, Readonly<Record<string, MethodImpl>>>>;
  readonly properties: Readonly<Record<string, Readonly<Record<string, () => TypedValue>>>>;
}

export const reply = (...values: unknown[]): Reply => ({ values });

export function callMethod(object: BusObject, call: MethodCall): Reply | Promise<Reply> {
  const method = object.methods[call.interface]?.[call.member];
  if (!method) throw new TelepathyError(ErrorNames.UnknownMethod, `no method ${call.interface}.${call.member} at ${object.path}`);
  return method(call);
}

export function readProperty(object: BusObject | undefined, iface: string, name: string): TypedValue {
  const getter = object?.properties[iface]?.[name];
  if (!getter) throw new TelepathyError(ErrorNames.InvalidArgs, `no property ${iface}.${name} at ${object?.path ?? 'an unknown path'}`);
  return getter();
}

export function propertyNamesOf(object: BusObject | undefined, iface: string): readonly string[] {
  return Object.keys(object?.properties[iface] ?? {});
}
