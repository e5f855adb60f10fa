/** Requests for echo rooms and room lists on the in-memory bus, for the room tests. */
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import { HandleType, Iface } from '#telepathy/domain/names/names.js';
import { connected, startHarness, tv, type Conn, type Harness } from '#test/telepathy/support/harness.js';

const CH = Iface.Channel;

export function roomRequest(target: { id?: string; handle?: number }): Record<string, TypedValue> {
  const request: Record<string, TypedValue> = { [`${CH}.ChannelType`]: tv('s', Iface.Text), [`${CH}.TargetHandleType`]: tv('u', HandleType.Room) };
  if (target.id !== undefined) request[`${CH}.TargetID`] = tv('s', target.id);
  if (target.handle !== undefined) request[`${CH}.TargetHandle`] = tv('u', target.handle);
  return request;
}

export const roomListRequest = (): Record<string, TypedValue> => ({
  [`${CH}.ChannelType`]: tv('s', Iface.RoomList),
  [`${CH}.TargetHandleType`]: tv('u', HandleType.None),
});

export interface Joined {
  harness: Harness;
  conn: Conn;
  path: string;
  props: Record<string, TypedValue>;
  /** Call a method on the room. */
  call(iface: string, member: string, args?: unknown[]): Promise<unknown[]>;
  /** Read a property of the room. */
  get(iface: string, name: string): Promise<TypedValue>;
}

/** A connected account that has joined `room`. */
export async function joinRoom(room = 'Lobby'): Promise<Joined> {
  const harness = await startHarness();
  const conn = await connected(harness.client);
  const [path, props] = (await conn.call(Iface.Requests, 'CreateChannel', [roomRequest({ id: room })])) as [string, Record<string, TypedValue>];
  return {
    harness,
    conn,
    path,
    props,
    call: (iface, member, args = []) => harness.client.call(conn.busName, path, iface, member, args),
    get: (iface, name) => harness.client.get(conn.busName, path, iface, name),
  };
}
