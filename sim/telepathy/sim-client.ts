/** A simulated client connection: makes calls, reads properties, and sees signals and replies in order. */
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { PROPERTIES_IFACE, type BusEvent } from './bus-events.js';

/** What this client received, in arrival order. */
export type ReceivedEvent = Extract<BusEvent, { kind: 'signal' | 'reply' | 'error' }>;

/** What a simulated client needs from its bus; `MemoryBus` (memory-bus.ts) is the one. */
export interface SimClientBus {
  /** Deliver a call and settle with its out-arguments or a `BusCallError`. */
  dispatch(sender: string, destination: string, path: string, iface: string, member: string, args: readonly unknown[]): Promise<unknown[]>;
  /** Own a well-known name for `owner`; false when taken. */
  claim(name: string, owner: string): boolean;
  /** Forget a client that left the bus. */
  vanish(client: SimClient): void;
}

export class SimClient {
  readonly received: ReceivedEvent[] = [];
  private gone = false;

  constructor(
    private readonly bus: SimClientBus,
    readonly uniqueName: string,
  ) {}

  get vanished(): boolean {
    return this.gone;
  }

  /** Call a method; resolves to its out-arguments, rejects with a `BusCallError`. */
  call(destination: string, path: string, iface: string, member: string, args: readonly unknown[] = []): Promise<unknown[]> {
    if (this.gone) throw new Error(`${this.uniqueName} has left the bus`);
    return this.bus.dispatch(this.uniqueName, destination, path, iface, member, args);
  }

  async get(destination: string, path: string, iface: string, name: string): Promise<TypedValue> {
    const [value] = await this.call(destination, path, PROPERTIES_IFACE, 'Get', [iface, name]);
    return value as TypedValue;
  }

  async getAll(destination: string, path: string, iface: string): Promise<Record<string, TypedValue>> {
    const [values] = await this.call(destination, path, PROPERTIES_IFACE, 'GetAll', [iface]);
    return values as Record<string, TypedValue>;
  }

  /** Own a well-known name (e.g. to squat on a connection's name); false when taken. */
  requestName(name: string): boolean {
    return this.bus.claim(name, this.uniqueName);
  }

  /** Leave the bus abruptly: replies still owed to this client go nowhere. */
  vanish(): void {
    this.gone = true;
    this.bus.vanish(this);
  }

  /** @internal */
  deliver(event: ReceivedEvent): void {
    if (!this.gone) this.received.push(event);
  }
}
