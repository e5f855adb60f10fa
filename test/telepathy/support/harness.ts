/** A connection manager on a fresh in-memory bus, with a controllable clock and helpers for common steps. */
import { createConnectionManager, type ConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { CM_BUS_NAME, CM_PATH, HandleType, Iface } from '#telepathy/domain/names/names.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { AvatarStore } from '#telepathy/domain/avatars/avatar-store.port.js';
import { MemoryBus, type SimService } from '#sim/telepathy/memory-bus.js';
import type { SimClient } from '#sim/telepathy/sim-client.js';
import { BusCallError } from '#sim/telepathy/bus-events.js';
import { ManualTimer } from '#sim/telepathy/manual-timer.js';

export const tv = (signature: string, value: unknown): TypedValue => ({ signature, value });

export interface Harness {
  bus: MemoryBus;
  service: SimService;
  manager: ConnectionManager;
  client: SimClient;
  clock: { ms: number; now(): number };
  /** Delivers echoes and reports (25 ms after their message) only when a test lets time pass. */
  timer: ManualTimer;
}

export async function startHarness(options: { avatars?: AvatarStore } = {}): Promise<Harness> {
  const bus = new MemoryBus();
  const service = bus.service();
  const clock = {
    ms: 1_700_000_000_000,
    now() {
      return this.ms;
    },
  };
  const timer = new ManualTimer();
  const manager = createConnectionManager(service, { clock, timer, ...options });
  service.serve(manager);
  await manager.start();
  return { bus, service, manager, client: bus.client(), clock, timer };
}

export interface Conn {
  busName: string;
  path: string;
  call(iface: string, member: string, args?: unknown[]): Promise<unknown[]>;
}

export async function requestConnection(client: SimClient, account: string): Promise<Conn> {
  const [busName, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [
    'echo',
    { account: tv('s', account) },
  ])) as [string, string];
  return { busName, path, call: (iface, member, args = []) => client.call(busName, path, iface, member, args) };
}

export async function connected(client: SimClient, account = 'me@example.com'): Promise<Conn> {
  const conn = await requestConnection(client, account);
  await conn.call(Iface.Connection, 'Connect');
  return conn;
}

export function textRequest(target: { id?: string; handle?: number }): Record<string, TypedValue> {
  const request: Record<string, TypedValue> = {
    [`${Iface.Channel}.ChannelType`]: tv('s', Iface.Text),
    [`${Iface.Channel}.TargetHandleType`]: tv('u', HandleType.Contact),
  };
  if (target.id !== undefined) request[`${Iface.Channel}.TargetID`] = tv('s', target.id);
  if (target.handle !== undefined) request[`${Iface.Channel}.TargetHandle`] = tv('u', target.handle);
  return request;
}

export async function createChannel(conn: Conn, id: string): Promise<{ path: string; props: Record<string, TypedValue> }> {
  const [path, props] = (await conn.call(Iface.Requests, 'CreateChannel', [textRequest({ id })])) as [string, Record<string, TypedValue>];
  return { path, props };
}

/** The D-Bus error name a call fails with (the test fails if it succeeds). */
export async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BusCallError) return error.dbusName;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export function textMessage(text: string, type?: number): Record<string, TypedValue>[] {
  const header: Record<string, TypedValue> = type === undefined ? {} : { 'message-type': tv('u', type) };
  return [header, { 'content-type': tv('s', 'text/plain'), content: tv('s', text) }];
}

/** Signals in the bus log, as `member` or `member(args)` summaries, optionally from one path. */
export function signalNames(bus: MemoryBus, path?: string): string[] {
  return bus.log.flatMap((e) => (e.kind === 'signal' && (path === undefined || e.path === path) ? [e.member] : []));
}
