import dbus from 'dbus-next';
import { signatureOf, type InterfaceDefinition, type MethodDefinition, type PropertyDefinition } from './interface-definitions.js';

/**
 * A dbus-next `Interface` subclass generated from an interface definition (its decorators do
 * not work from TypeScript, so members are declared with `configureMembers`). Every method and
 * property read goes to the object's {@link ObjectBinding}; introspection comes from the
 * definition, so it matches `spec/` by construction.
 */

const { Interface } = dbus.interface;
type InterfaceInstance = InstanceType<typeof Interface>;

/** What one exported object does with the calls and property reads dbus-next hands it. */
export interface ObjectBinding {
  /** The object path this binding is exported at. */
  readonly path: string;
  /** Answer a method call; resolves to the out-arguments in dbus-next's shape. */
  invoke(iface: InterfaceDefinition, method: MethodDefinition, args: unknown[]): Promise<unknown>;
  /** Read a property in dbus-next's shape; throws a `DBusError` on failure. */
  read(iface: InterfaceDefinition, property: PropertyDefinition): unknown;
}

/** A dbus-next interface object whose calls go to one binding. */
export interface GeneratedInterface extends InterfaceInstance {
  /** Where its method calls and property reads go. */
  readonly binding: ObjectBinding;
}

type GeneratedClass = new (binding: ObjectBinding) => GeneratedInterface;

const classes = new WeakMap<InterfaceDefinition, GeneratedClass>();

// Prototype keys for methods and signals carry a prefix so they never collide with a
// property of the same interface, whose getter must sit under its own D-Bus name.
const methodKey = (name: string) => `method:${name}`;
const signalKey = (name: string) => `signal:${name}`;

function generate(def: InterfaceDefinition): GeneratedClass {
  class Generated extends Interface implements GeneratedInterface {
    constructor(readonly binding: ObjectBinding) {
      super(def.name);
    }
  }
  const prototype = Generated.prototype as unknown as Record<string, unknown>;
  const methods: Record<string, { name: string; inSignature: string; outSignature: string }> = {};
  for (const method of def.methods) {
    prototype[methodKey(method.name)] = function (this: Generated, ...args: unknown[]) {
      return this.binding.invoke(def, method, args);
    };
    methods[methodKey(method.name)] = { name: method.name, inSignature: signatureOf(method.inArgs), outSignature: signatureOf(method.outArgs) };
  }
  const signals: Record<string, { name: string; signature: string }> = {};
  for (const signal of def.signals) {
    // Signals are sent by the adapter itself; this only declares them for introspection.
    prototype[signalKey(signal.name)] = (...args: unknown[]) => args;
    signals[signalKey(signal.name)] = { name: signal.name, signature: signatureOf(signal.args) };
  }
  const properties: Record<string, { signature: string; access: PropertyDefinition['access'] }> = {};
  for (const property of def.properties) {
    Object.defineProperty(Generated.prototype, property.name, {
      get(this: Generated) {
        return this.binding.read(def, property);
      },
    });
    properties[property.name] = { signature: property.type, access: property.access };
  }
  Generated.configureMembers({ methods, signals, properties });
  return Generated;
}

/** A fresh interface object for one exported path, its class built once per definition. */
export function generatedInterface(def: InterfaceDefinition, binding: ObjectBinding): GeneratedInterface {
  let Class = classes.get(def);
  if (!Class) {
    Class = generate(def);
    classes.set(def, Class);
  }
  return new Class(binding);
}
