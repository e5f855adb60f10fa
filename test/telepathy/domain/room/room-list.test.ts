import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { connected, errorOf, signalNames, startHarness, tv } from '#test/telepathy/support/harness.js';
import { roomListRequest } from './room-support.js';

const CH = Iface.Channel;

async function roomList() {
  const harness = await startHarness();
  const conn = await connected(harness.client);
  const [path, props] = (await conn.call(Iface.Requests, 'CreateChannel', [roomListRequest()])) as [string, Record<string, unknown>];
  const call = (member: string, args: unknown[] = []) => harness.client.call(conn.busName, path, Iface.RoomList, member, args);
  return { harness, conn, path, props, call };
}

describe('a room list', () => {
  it('is a channel with no target, on no server', async () => {
    const { harness, conn, path, props } = await roomList();
    expect(props).toMatchObject({
      [`${CH}.ChannelType`]: tv('s', Iface.RoomList),
      [`${CH}.TargetHandleType`]: tv('u', 0),
      [`${CH}.TargetHandle`]: tv('u', 0),
      [`${Iface.RoomList}.Server`]: tv('s', ''),
    });
    expect(await harness.client.get(conn.busName, path, Iface.RoomList, 'Server')).toEqual(tv('s', ''));
    expect(await harness.client.call(conn.busName, path, CH, 'GetHandle')).toEqual([0, 0]);
  });

  it('lists the echo rooms after the ListRooms reply, between ListingRooms(true) and ListingRooms(false)', async () => {
    const { harness, conn, path, call } = await roomList();
    await call('ListRooms');
    expect(signalNames(harness.bus, path)).toEqual(['ListingRooms', 'GotRooms', 'ListingRooms']);
    const signals = harness.bus.log.filter((e) => e.kind === 'signal' && e.path === path);
    expect(signals.map((e) => e.kind === 'signal' && e.args[0]).filter((a) => typeof a === 'boolean')).toEqual([true, false]);
    const got = signals[1]!;
    const rooms = (got.kind === 'signal' ? got.args[0] : []) as [number, string, Record<string, { value: unknown }>][];
    expect(rooms.map(([, type, info]) => [type, info['handle-name']!.value, info['members']!.value])).toEqual([
      [Iface.Text, 'lobby', 3],
      [Iface.Text, 'canyon', 3],
    ]);
    // Each listed handle is a room handle that names the room.
    expect(await conn.call(Iface.Connection, 'InspectHandles', [2, rooms.map(([h]) => h)])).toEqual([['lobby', 'canyon']]);
    expect(await call('GetListingRooms')).toEqual([false]);
    await call('StopListing');
    expect(signalNames(harness.bus, path)).toHaveLength(3);
  });

  it('is created anew by Create and reused by Ensure; it closes like any channel', async () => {
    const { harness, conn, path } = await roomList();
    const [second] = (await conn.call(Iface.Requests, 'CreateChannel', [roomListRequest()])) as [string];
    expect(second).not.toBe(path);
    expect((await conn.call(Iface.Requests, 'EnsureChannel', [roomListRequest()])).slice(0, 2)).toEqual([false, path]);
    await harness.client.call(conn.busName, path, CH, 'Close');
    expect(signalNames(harness.bus).slice(-2)).toEqual(['Closed', 'ChannelClosed']);
    const channels = await harness.client.get(conn.busName, conn.path, Iface.Requests, 'Channels');
    expect((channels.value as [string][]).map(([p]) => p)).toEqual([second]);
  });

  it.each([
    ['a target', { ...roomListRequest(), [`${CH}.TargetHandleType`]: tv('u', 2) }],
    ['a server', { ...roomListRequest(), [`${Iface.RoomList}.Server`]: tv('s', 'elsewhere') }],
  ])('refuses a request with %s', async (_why, request) => {
    const harness = await startHarness();
    const conn = await connected(harness.client);
    expect(await errorOf(conn.call(Iface.Requests, 'CreateChannel', [request]))).toBe(ErrorNames.NotImplemented);
  });
});
