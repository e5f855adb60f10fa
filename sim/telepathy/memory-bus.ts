/**
 * An in-memory message bus with the real bus's ordering: signals emitted while a call is handled
 * are delivered before its reply, and a Reply's `after` signals right after it. One service
 * endpoint implements {@link BusPort} for the domain; simulated clients call it and receive
 * every signal (as if each had subscribed to everything). Every message lands in {@link log}.
 */
import type { BusObjectHandler, BusPort, Reply, Signal, TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { TelepathyError } from '#telepathy/domain/errors/telepathy-error.js';
import { BusCallError, BusErrorNames, PROPERTIES_IFACE, type BusEvent } from './bus-events.js';
import { SimClient } from './sim-client.js';

export class MemoryBus {
  readonly log: BusEvent[] = [];
  private nextUnique = 1;
  private nextSerial = 1;
  private readonly owners = new Map<string, string>();
  private readonly clients = new Map<string, SimClient>();
  private readonly services = new Map<string, SimService>();

  /** A new connection to the bus for the code under test. */
  service(): SimService {
    const service = new SimService(this, this.uniqueName());
    this.services.set(service.uniqueName, service);
    return service;
  }

  /** A new simulated client connection. */
  client(): SimClient {
    const client = new SimClient(this, this.uniqueName());
    this.clients.set(client.uniqueName, client);
    return client;
  }

  ownerOf(name: string): string | undefined {
    return name.startsWith(':') ? name : this.owners.get(name);
  }

  /** @internal */
  record(event: BusEvent): void {
    this.log.push(event);
    if (event.kind === 'signal') for (const client of this.clients.values()) client.deliver(event);
    else if (event.kind === 'reply' || event.kind === 'error') this.clients.get(event.destination)?.deliver(event);
  }

  /** @internal Own a name for `owner`; false when someone else owns it. */
  claim(name: string, owner: string): boolean {
    const current = this.owners.get(name);
    if (current !== undefined && current !== owner) return false;
    if (current === undefined) {
      this.owners.set(name, owner);
      this.record({ kind: 'name-owner', name, owner });
    }
    return true;
  }

  /** @internal */
  release(name: string, owner: string): void {
    if (this.owners.get(name) !== owner) return;
    this.owners.delete(name);
    this.record({ kind: 'name-owner', name, owner: null });
  }

  /** @internal A client left the bus: its names go, nothing is delivered to it any more. */
  vanish(client: SimClient): void {
    this.clients.delete(client.uniqueName);
    for (const [name, owner] of [...this.owners]) if (owner === client.uniqueName) this.release(name, owner);
    this.record({ kind: 'vanished', client: client.uniqueName });
  }

  /**
   * @internal Route one method call and record its reply (or error), then its `after` signals.
   * A handler that answers synchronously is answered at once, before any other message is
   * handled, as a bus connection processes one message at a time; only a pending promise lets
   * other calls in.
   */
  dispatch(sender: string, destination: string, path: string, iface: string, member: string, args: readonly unknown[]): Promise<unknown[]> {
    const serial = this.nextSerial++;
    this.record({ kind: 'call', serial, sender, destination, path, interface: iface, member, args: clone(args) });
    const owner = this.ownerOf(destination);
    const service = owner === undefined ? undefined : this.services.get(owner);
    const from = service?.uniqueName ?? 'org.freedesktop.DBus';
    const fail = (error: unknown): BusCallError => {
      const [name, message] =
        error instanceof TelepathyError
          ? [error.dbusName, error.message]
          : error instanceof BusCallError
            ? [error.dbusName, error.text]
            : [BusErrorNames.Failed, 'internal error'];
      this.record({ kind: 'error', replyTo: serial, sender: from, destination: sender, name, message });
      return new BusCallError(name, message);
    };
    const succeed = (result: Reply): unknown[] => {
      const values = clone(result.values);
      this.record({ kind: 'reply', replyTo: serial, sender: from, destination: sender, values });
      for (const signal of result.after ?? []) service!.emit(signal);
      return [...clone(values)];
    };
    try {
      if (!service) throw new BusCallError(BusErrorNames.ServiceUnknown, `the name ${destination} has no owner`);
      const result = service.handle({ sender, path, interface: iface, member, args: [...clone(args)] });
      if (!(result instanceof Promise)) return Promise.resolve(succeed(result));
      return result.then(succeed, (error: unknown) => Promise.reject(fail(error)));
    } catch (error) {
      return Promise.reject(fail(error));
    }
  }

  private uniqueName(): string {
    return `:1.${this.nextUnique++}`;
  }
}

/** The code under test's connection to the bus: the {@link BusPort} it is given. */
export class SimService implements BusPort {
  private readonly objects = new Map<string, readonly string[]>();
  private handler: BusObjectHandler | undefined;

  constructor(
    private readonly bus: MemoryBus,
    readonly uniqueName: string,
  ) {}

  /** Route calls and property reads on this connection's objects to `handler`. */
  serve(handler: BusObjectHandler): void {
    this.handler = handler;
  }

  get exportedPaths(): string[] {
    return [...this.objects.keys()];
  }

  emit(signal: Signal): void {
    // A real bus silently drops signals from unexported objects; here it is a bug worth failing on.
    if (!this.objects.has(signal.path)) throw new Error(`signal ${signal.member} from unexported object ${signal.path}`);
    this.bus.record({ kind: 'signal', sender: this.uniqueName, ...signal, args: clone(signal.args) });
  }

  addObject(path: string, interfaces: readonly string[]): void {
    this.objects.set(path, [...interfaces]);
  }

  removeObject(path: string): void {
    this.objects.delete(path);
  }

  async requestName(name: string): Promise<void> {
    await Promise.resolve();
    if (!this.bus.claim(name, this.uniqueName)) throw new Error(`the name ${name} is owned by another connection`);
  }

  async releaseName(name: string): Promise<void> {
    await Promise.resolve();
    this.bus.release(name, this.uniqueName);
  }

  /** @internal */
  handle(call: { sender: string; path: string; interface: string; member: string; args: unknown[] }): Reply | Promise<Reply> {
    const interfaces = this.objects.get(call.path);
    const handler = this.handler;
    if (call.interface === PROPERTIES_IFACE) {
      if (!interfaces || !handler) throw new BusCallError(BusErrorNames.InvalidArgs, `no object at ${call.path}`);
      return this.properties(handler, call.path, interfaces, call.member, call.args);
    }
    if (!interfaces || !handler || !interfaces.includes(call.interface)) {
      throw new BusCallError(BusErrorNames.UnknownMethod, `no method ${call.interface}.${call.member} at ${call.path}`);
    }
    return handler.call(call);
  }

  private properties(handler: BusObjectHandler, path: string, interfaces: readonly string[], member: string, args: unknown[]): Reply {
    const iface = args[0];
    if (typeof iface !== 'string' || !interfaces.includes(iface)) {
      throw new BusCallError(BusErrorNames.InvalidArgs, `no interface ${String(iface)} at ${path}`);
    }
    if (member === 'Get') return { values: [handler.getProperty(path, iface, String(args[1]))] };
    if (member === 'GetAll') {
      const names = handler.propertyNames(path, iface);
      return { values: [Object.fromEntries(names.map((name) => [name, handler.getProperty(path, iface, name)]))] };
    }
    if (member === 'Set' && handler.setProperty) {
      handler.setProperty(path, iface, String(args[1]), args[2] as TypedValue);
      return { values: [] };
    }
    throw new BusCallError(BusErrorNames.InvalidArgs, `properties of ${iface} cannot be written`);
  }
}

/** Messages are copied on the way through, as marshalling would, so nobody shares state by accident. */
function clone<T>(value: T): T {
  return structuredClone(value);
}
