import dbus from 'dbus-next';
import { NameTakenError, type BusObjectHandler, type BusPort, type MethodCall, type Signal, type TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { internalErrorName, toDBusError } from './dbus-errors.js';
import { internals, messages, type Message, type MessageBus } from './dbus-next-internals.js';
import { generatedInterface, type GeneratedInterface } from './generated-interface.js';
import { OutgoingMessages } from './outgoing-messages.js';
import { useFastMarshalling } from './fast-marshal.js';
import { allowIntegerDictKeys } from './int-key-dicts.js';
import { loadInterfaceDefinitions, signatureOf, type InterfaceDefinition, type MethodDefinition, type PropertyDefinition } from './interface-definitions.js';
import { isTypedValue } from '#telepathy/domain/values/typed-values.js';
import { bodyFromWire, bodyToWire, toWire } from './wire-values.js';
import { parseType } from './signature.js';

/**
 * The real bus: {@link BusPort} on dbus-next 0.10.2. Every workaround dbus-next needs as a
 * server lives here or beside it (docs/telepathy-dbus.md lists them): callers' names, integer dict keys,
 * error names without stacks, signals after replies, wrong signatures, bus loss.
 */

const { DBusError, NameFlag, RequestNameReply, Variant } = dbus;
const INVALID_ARGS = 'org.freedesktop.DBus.Error.InvalidArgs';
const PROPERTY_READ_ONLY = 'org.freedesktop.DBus.Error.PropertyReadOnly';

/** How to reach a bus and what to export on it. */
export interface DbusNextBusOptions {
  /** A D-Bus address, e.g. the value of DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string;
  /** Interfaces objects may export; default: the XML in `spec/telepathy/`. */
  readonly definitions?: ReadonlyMap<string, InterfaceDefinition>;
  /** Debug log, one line per call; errors' stacks go here, never to clients. */
  readonly log?: (line: string) => void;
}

interface Exported {
  readonly def: InterfaceDefinition;
  readonly instance: GeneratedInterface;
}

export class DbusNextBus implements BusPort {
  /** Connect to a bus and wait for our unique name. */
  static async connect(options: DbusNextBusOptions): Promise<DbusNextBus> {
    allowIntegerDictKeys();
    useFastMarshalling();
    const log = options.log ?? (() => {});
    let bus: MessageBus;
    try {
      bus = internals(dbus.sessionBus({ busAddress: options.address }));
    } catch (error) {
      throw new Error(`cannot use the D-Bus address '${options.address}': ${(error as Error).message}`);
    }
    // Without a listener an `error` event would crash the process (e.g. writes after the end).
    bus.on('error', (error: unknown) => log(`bus error: ${(error as Error)?.message ?? String(error)}`));
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', (error: unknown) => reject(new Error(`cannot connect to the D-Bus bus at '${options.address}': ${(error as Error)?.message ?? String(error)}`)));
    });
    return new DbusNextBus(bus, options.definitions ?? loadInterfaceDefinitions(), log);
  }

  private handler: BusObjectHandler | undefined;
  private readonly objects = new Map<string, Map<string, Exported>>();
  /** The call dbus-next is about to dispatch: it runs our hook synchronously just before. */
  private current: Message | undefined;
  private readonly outgoing: OutgoingMessages;
  private readonly closeListeners: ((why: string) => void)[] = [];
  private closed: string | undefined;

  private constructor(
    private readonly bus: MessageBus,
    private readonly definitions: ReadonlyMap<string, InterfaceDefinition>,
    private readonly log: (line: string) => void,
  ) {
    bus.addMethodHandler((message: Message) => this.intercept(message));
    this.outgoing = new OutgoingMessages(bus, (signal) => this.emit(signal), log);
    // dbus-next emits nothing when the bus goes away; its stream does.
    const stream = bus._connection.stream;
    stream.once('end', () => this.close('the bus closed the connection'));
    stream.once('close', () => this.close('the connection to the bus is closed'));
  }

  /** Our unique name on the bus, e.g. `:1.7`. */
  get uniqueName(): string {
    return this.bus.name ?? '';
  }

  /** From now on, calls and property reads on our objects go to this handler. */
  serve(handler: BusObjectHandler): void {
    this.handler = handler;
  }

  /** Called once when the bus connection ends, whoever ended it. */
  onClose(listener: (why: string) => void): void {
    if (this.closed !== undefined) listener(this.closed);
    else this.closeListeners.push(listener);
  }

  /** Close the connection; our names and objects go with it. */
  disconnect(): void {
    this.bus.disconnect();
  }

  emit(signal: Signal): void {
    const exported = this.objects.get(signal.path)?.get(signal.interface);
    // A signal about an object that is not exported yet would announce something clients
    // cannot call: the domain must add the object first.
    if (!exported) throw new Error(`cannot emit ${signal.interface}.${signal.member}: no object ${signal.path} with that interface`);
    const def = exported.def.signals.find((s) => s.name === signal.member);
    if (!def) throw new Error(`${signal.interface} has no signal ${signal.member}`);
    const signature = signatureOf(def.args);
    this.log(`signal ${signal.path} ${signal.interface}.${signal.member}`);
    this.bus.send(messages.newSignal(signal.path, signal.interface, signal.member, signature, bodyToWire(signature, signal.args)));
  }

  addObject(path: string, interfaces: readonly string[]): void {
    const exported = this.objects.get(path) ?? new Map<string, Exported>();
    const binding = {
      path,
      invoke: (def: InterfaceDefinition, method: MethodDefinition, args: unknown[]) => this.invoke(path, def, method, args),
      read: (def: InterfaceDefinition, property: PropertyDefinition) => this.read(path, def, property),
    };
    for (const name of interfaces) {
      if (exported.has(name)) continue;
      const def = this.definitions.get(name);
      if (!def) throw new Error(`no definition for interface ${name} in spec/telepathy`);
      const instance = generatedInterface(def, binding);
      this.bus.export(path, instance);
      exported.set(name, { def, instance });
    }
    this.objects.set(path, exported);
  }

  removeObject(path: string): void {
    if (!this.objects.delete(path)) return;
    // Without an interface dbus-next drops the whole path (its types say otherwise).
    (this.bus.unexport as (path: string) => void)(path);
  }

  async requestName(name: string): Promise<void> {
    const reply = await this.bus.requestName(name, NameFlag.DO_NOT_QUEUE);
    if (reply !== RequestNameReply.PRIMARY_OWNER && reply !== RequestNameReply.ALREADY_OWNER) throw new NameTakenError(name);
  }

  async releaseName(name: string): Promise<void> {
    await this.bus.releaseName(name);
  }

  private close(why: string): void {
    if (this.closed !== undefined) return;
    this.closed = why;
    this.log(why);
    for (const listener of this.closeListeners.splice(0)) listener(why);
  }

  /** Runs before dbus-next dispatches any call: remember the caller, answer what it gets wrong. */
  private intercept(message: Message): boolean {
    this.current = message;
    const exported = this.objects.get(message.path);
    if (!exported) return false;
    if (message.interface === 'org.freedesktop.DBus.Properties' && message.member === 'Set' && message.signature === 'ssv') {
      // dbus-next would answer twice here, the second time with a stack trace.
      this.set(message, exported);
      return true;
    }
    if (message.interface === 'org.freedesktop.DBus.Properties' && message.member === 'GetAll' && message.signature === 's') {
      const target = exported.get((message.body as [string])[0]);
      if (!target) return false;
      this.getAll(message, target);
      return true;
    }
    const method = exported.get(message.interface)?.def.methods.find((m) => m.name === message.member);
    const expected = method ? signatureOf(method.inArgs) : undefined;
    if (expected !== undefined && expected !== (message.signature ?? '')) {
      // dbus-next would answer UnknownMethod, which hides what the caller got wrong.
      this.bus.send(messages.newError(message, INVALID_ARGS, `${message.member} takes '${expected}', not '${message.signature ?? ''}'`));
      return true;
    }
    return false;
  }

  /** Properties.Set: the domain writes what the spec lets clients write; the rest is read-only. */
  private set(message: Message, exported: Map<string, Exported>): void {
    const [ifaceName, propertyName, value] = message.body as [string, string, unknown];
    const property = exported.get(ifaceName)?.def.properties.find((p) => p.name === propertyName);
    if (!property || property.access === 'read') {
      this.bus.send(messages.newError(message, property ? PROPERTY_READ_ONLY : INVALID_ARGS, property ? `${propertyName} is read-only` : `no property ${ifaceName}.${propertyName}`));
      return;
    }
    try {
      if (!this.handler?.setProperty) throw new DBusError(internalErrorName, 'telepathy-cave is starting');
      this.log(`set ${message.sender ?? ''} ${message.path} ${ifaceName}.${propertyName}`);
      this.handler.setProperty(message.path, ifaceName, propertyName, bodyFromWire('v', [value])[0] as TypedValue);
      this.bus.send(messages.newMethodReturn(message, '', []));
    } catch (error) {
      const reply = toDBusError(error);
      this.bus.send(messages.newError(message, reply.type, reply.text));
    }
  }

  private async invoke(path: string, def: InterfaceDefinition, method: MethodDefinition, args: unknown[]): Promise<unknown> {
    // Read before any await: the hook set it for exactly this call.
    const message = this.current;
    const call: MethodCall = {
      sender: message?.sender ?? '',
      path,
      interface: def.name,
      member: method.name,
      args: bodyFromWire(signatureOf(method.inArgs), args),
    };
    this.log(`call ${call.sender} ${path} ${def.name}.${method.name}`);
    try {
      if (!this.handler) throw new DBusError(internalErrorName, 'telepathy-cave is starting');
      const reply = await this.handler.call(call);
      const body = bodyToWire(signatureOf(method.outArgs), reply.values);
      if (reply.after?.length && message) this.outgoing.afterReplyTo(message, reply.after);
      return body.length === 1 ? body[0] : body.length === 0 ? undefined : body;
    } catch (error) {
      this.log(`${def.name}.${method.name} failed: ${(error as Error)?.stack ?? String(error)}`);
      throw toDBusError(error);
    }
  }

  private read(path: string, def: InterfaceDefinition, property: PropertyDefinition): unknown {
    try {
      if (!this.handler) throw new DBusError(internalErrorName, 'telepathy-cave is starting');
      const value = this.handler.getProperty(path, def.name, property.name);
      // The domain hands out properties as typed values carrying their own signature.
      if (!isTypedValue(value) || value.signature !== property.type) {
        throw new Error(`${def.name}.${property.name} must be a typed value of type ${property.type}`);
      }
      return toWire(parseType(property.type), value.value);
    } catch (error) {
      this.log(`reading ${def.name}.${property.name} failed: ${(error as Error)?.stack ?? String(error)}`);
      throw toDBusError(error);
    }
  }

  /**
   * GetAll lists what the domain says the object has (of what the interface declares), so a
   * property the spec lists but an object lacks is left out instead of failing the whole call.
   */
  private getAll(message: Message, exported: Exported): void {
    try {
      if (!this.handler) throw new DBusError(internalErrorName, 'telepathy-cave is starting');
      const names = new Set(this.handler.propertyNames(message.path, exported.def.name));
      const all: Record<string, unknown> = {};
      for (const property of exported.def.properties) {
        if (names.has(property.name) && property.access !== 'write') {
          all[property.name] = new Variant(property.type, this.read(message.path, exported.def, property));
        }
      }
      this.bus.send(messages.newMethodReturn(message, 'a{sv}', [all]));
    } catch (error) {
      const reply = toDBusError(error);
      this.bus.send(messages.newError(message, reply.type, reply.text));
    }
  }
}
