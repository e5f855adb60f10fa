import { createRequire } from 'node:module';
import dbus from 'dbus-next';
import { NameTakenError, type BusObjectHandler, type BusPort, type MethodCall, type Signal } from '#telepathy/domain/bus/bus.port.js';
import { domainErrorName, internalErrorName, messageOf, toDBusError } from './dbus-errors.js';
import { answerPropertiesSet, INVALID_ARGS } from './properties-set.js';
import { internals, messages, type Message, type MessageBus } from './dbus-next-internals.js';
import { generatedInterface, type GeneratedInterface } from './generated-interface.js';
import { OutgoingMessages } from './outgoing-messages.js';
import { noSuchSignal, signalArgs } from './signal-args.js';
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
/** dbus-next's own dispatcher of a call to an exported interface (not exported by its index). */
const dispatchToInterfaces = createRequire(import.meta.url)('dbus-next/lib/service/handlers.js') as (message: Message, bus: MessageBus) => boolean;

/** How to reach a bus and what to export on it. */
export interface DbusNextBusOptions {
  /** A D-Bus address, e.g. the value of DBUS_SESSION_BUS_ADDRESS. */
  readonly address: string;
  /** Interfaces objects may export; default: the XML in `spec/telepathy/`. */
  readonly definitions?: ReadonlyMap<string, InterfaceDefinition>;
  /** Debug log, one line per call; errors' stacks go here, never to clients. */
  readonly log?: (line: string) => void;
  /**
   * What went wrong where no caller hears of it (bus errors, handler bugs, sends that failed,
   * signals that could not be ordered): one line each, logged even when `log` is quiet.
   * Default: `log`.
   */
  readonly problem?: (line: string) => void;
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
    const problem = options.problem ?? log;
    let bus: MessageBus;
    try {
      bus = internals(dbus.sessionBus({ busAddress: options.address }));
    } catch (error) {
      throw new Error(`cannot use the D-Bus address '${options.address}': ${(error as Error).message}`);
    }
    // Without a listener an `error` event would crash the process (e.g. writes after the end).
    bus.on('error', (error: unknown) => problem(`bus error: ${messageOf(error)}`));
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', (error: unknown) => reject(new Error(`cannot connect to the D-Bus bus at '${options.address}': ${(error as Error)?.message ?? String(error)}`)));
    });
    return new DbusNextBus(bus, options.definitions ?? loadInterfaceDefinitions(), log, problem);
  }

  private handler: BusObjectHandler | undefined;
  private readonly objects = new Map<string, Map<string, Exported>>();
  /** The call dbus-next is about to dispatch: it runs our hook synchronously just before. */
  private current: Message | undefined;
  private readonly outgoing: OutgoingMessages;
  private readonly closeListeners: ((why: string) => void)[] = [];
  private closed: string | undefined;
  /** Calls to our objects, answered one per event-loop turn (see {@link intercept}). */
  private readonly queue: Message[] = [];
  private dispatching = false;

  private constructor(
    private readonly bus: MessageBus,
    private readonly definitions: ReadonlyMap<string, InterfaceDefinition>,
    private readonly log: (line: string) => void,
    private readonly problem: (line: string) => void,
  ) {
    bus.addMethodHandler((message: Message) => this.intercept(message));
    this.outgoing = new OutgoingMessages(bus, (signal) => this.emit(signal), problem);
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
    const { about, args } = signalArgs(signal);
    // A signal about an object that is not exported yet would announce something clients
    // cannot call: the domain must add the object first.
    const exported = this.objects.get(signal.path)?.get(about);
    if (!exported) throw new Error(`cannot emit ${signal.interface}.${signal.member}: no object ${signal.path} with ${about}`);
    const signature = signatureOf(args ?? exported.def.signals.find((s) => s.name === signal.member)?.args ?? noSuchSignal(signal));
    this.log(`signal ${signal.path} ${signal.interface}.${signal.member}`);
    const { path, interface: iface, member, args: body } = signal;
    this.outgoing.sendSignal({ path, interface: iface, member, signature, args: body }, () => messages.newSignal(path, iface, member, signature, bodyToWire(signature, body)));
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

  /**
   * Runs before dbus-next dispatches any call. dbus-next dispatches every call of one socket read
   * at once, so a later call's signals (Disconnect's StatusChanged) would overtake an earlier
   * call's reply and its after-signals (CreateChannel's NewChannels), which leave a few
   * microtasks later. Calls to our objects therefore wait in a queue, one per turn.
   */
  private intercept(message: Message): boolean {
    if (!this.objects.has(message.path)) return false;
    this.queue.push(message);
    if (!this.dispatching) this.dispatchNext();
    return true;
  }

  private dispatchNext(): void {
    const message = this.queue.shift();
    this.dispatching = message !== undefined;
    if (!message) return;
    this.current = message;
    try {
      if (!this.answerOurselves(message) && !dispatchToInterfaces(message, this.bus)) {
        this.bus.send(messages.newError(message, 'org.freedesktop.DBus.Error.UnknownMethod', `no method ${message.interface ?? ''}.${message.member} on ${message.path}`));
      }
    } catch (error) {
      this.problem(`dispatching ${message.interface ?? ''}.${message.member} failed: ${messageOf(error)}`);
      this.bus.send(messages.newError(message, internalErrorName, 'telepathy-cave could not handle this request'));
    }
    setImmediate(() => this.dispatchNext());
  }

  /** Answer what dbus-next gets wrong; false: let dbus-next dispatch it. */
  private answerOurselves(message: Message): boolean {
    const exported = this.objects.get(message.path);
    if (!exported) return false;
    if (message.interface === 'org.freedesktop.DBus.Properties' && message.member === 'Set' && message.signature === 'ssv') {
      // dbus-next would answer twice here, the second time with a stack trace.
      const context = { bus: this.bus, handler: this.handler, definition: (iface: string) => exported.get(iface)?.def };
      answerPropertiesSet(message, { ...context, log: (line) => this.log(line), failed: (what, error) => this.failed(what, error) });
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

  private async invoke(path: string, def: InterfaceDefinition, method: MethodDefinition, args: unknown[]): Promise<unknown> {
    // Read before any await: the hook set it for exactly this call (checked, to be sure).
    const current = this.current;
    const message = current?.path === path && current.interface === def.name && current.member === method.name ? current : undefined;
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
      if (reply.after?.length) this.sendAfterReply(message, `${def.name}.${method.name}`, reply.after);
      return body.length === 1 ? body[0] : body.length === 0 ? undefined : body;
    } catch (error) {
      this.failed(`${def.name}.${method.name}`, error);
      throw toDBusError(error);
    }
  }

  /**
   * Without the call (never expected: dbus-next runs our hook before each dispatch) the reply
   * cannot be matched on the way out; the signals still go, right after this turn's reply.
   */
  private sendAfterReply(call: Message | undefined, what: string, after: readonly Signal[]): void {
    if (call) return this.outgoing.afterReplyTo(call, after);
    this.problem(`${what}: no call to order ${after.map((s) => s.member).join(', ')} after; sending them after this turn's reply`);
    setImmediate(() => after.forEach((signal) => this.outgoing.emitQuietly(signal)));
  }

  /** A client's mistake (a named error) is only debug detail; anything else is our bug. */
  private failed(what: string, error: unknown): void {
    this.log(`${what} failed: ${(error as Error)?.stack ?? String(error)}`);
    if (!(error instanceof DBusError) && domainErrorName(error) === undefined) this.problem(`${what} failed: ${messageOf(error)}`);
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
      this.failed(`reading ${def.name}.${property.name}`, error);
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

