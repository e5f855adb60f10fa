/**
 * One object on the bus as the domain models it: a table of methods and properties per interface.
 * @module
 */
import type { MethodCall, Reply, TypedValue } from './bus.port.js';
import { ErrorNames, TelepathyError } from '#telepathy/domain/errors/telepathy-error.js';

/** One method's implementation: the call in, a reply (or a thrown TelepathyError) out. */
export type MethodImpl = (call: MethodCall) => Reply | Promise<Reply>;

/** An object's methods and properties, by interface, for the routing in connection-manager.ts. */
export interface BusObject {
  /** Its object path. */
  readonly path: string;
  /** Interfaces exported on the bus for this object (Properties and Introspectable are the bus's). */
  readonly interfaces: readonly string[];
  /** Method implementations by interface, then by member name. */
  readonly methods: Readonly<Record<string, Readonly<Record<string, MethodImpl>>>>;
  /** Property getters by interface, then by name; each returns a value with its exact signature. */
  readonly properties: Readonly<Record<string, Readonly<Record<string, () => TypedValue>>>>;
  /** Setters of the writable properties, by interface, then by name. */
  readonly setters: Readonly<Record<string, Readonly<Record<string, PropertySetter>>>>;
}

/** Sets a writable property from the value a client gave; throws a TelepathyError for a bad one. */
export type PropertySetter = (value: TypedValue) => void;

/** One D-Bus interface of an object: its methods and property getters, as one `*_iface_init` wires them. */
export interface BusInterface {
  /** Method implementations by member name. */
  readonly methods: Readonly<Record<string, MethodImpl>>;
  /** Property getters by name; each returns a value with its exact signature. */
  readonly properties: Readonly<Record<string, () => TypedValue>>;
  /** Setters of the properties clients may write (few are), by name. */
  readonly setters?: Readonly<Record<string, PropertySetter>>;
}

/** An object at `path` made of one builder's output per interface, exported in the order given. */
export function busObjectOf(path: string, interfaces: Readonly<Record<string, BusInterface>>): BusObject {
  const entries = Object.entries(interfaces);
  return {
    path,
    interfaces: entries.map(([name]) => name),
    methods: Object.fromEntries(entries.map(([name, iface]) => [name, iface.methods])),
    properties: Object.fromEntries(entries.map(([name, iface]) => [name, iface.properties])),
    setters: Object.fromEntries(entries.map(([name, iface]) => [name, iface.setters ?? {}])),
  };
}

/** A reply with these out-arguments and no signals after it. */
export const reply = (...values: unknown[]): Reply => ({ values });

/** Run the method a call names; UnknownMethod when the object has no such method. */
export function callMethod(object: BusObject, call: MethodCall): Reply | Promise<Reply> {
  const method = object.methods[call.interface]?.[call.member];
  if (!method) throw new TelepathyError(ErrorNames.UnknownMethod, `no method ${call.interface}.${call.member} at ${object.path}`);
  return method(call);
}

/** Read one property; InvalidArgs when the object or the property does not exist. */
export function readProperty(object: BusObject | undefined, iface: string, name: string): TypedValue {
  const getter = object?.properties[iface]?.[name];
  if (!getter) throw new TelepathyError(ErrorNames.InvalidArgs, `no property ${iface}.${name} at ${object?.path ?? 'an unknown path'}`);
  return getter();
}

/** Write one property; InvalidArgs when the object or the property does not exist or is read-only. */
export function writeProperty(object: BusObject | undefined, iface: string, name: string, value: TypedValue): void {
  const setter = object?.setters[iface]?.[name];
  if (!setter) throw new TelepathyError(ErrorNames.InvalidArgs, `${iface}.${name} at ${object?.path ?? 'an unknown path'} cannot be written`);
  setter(value);
}

/** The names of an interface's properties on an object, for GetAll (empty when unknown). */
export function propertyNamesOf(object: BusObject | undefined, iface: string): readonly string[] {
  return Object.keys(object?.properties[iface] ?? {});
}
