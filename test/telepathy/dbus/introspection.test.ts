import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInterfaceDefinitions, type InterfaceDefinition } from '#telepathy/adapters/dbus-next/interface-definitions.js';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from './bus-client.js';
import { gdbusIntrospect } from './clients.js';
import { CM, CM_PATH, spawnDaemon, TP, within, type DaemonProcess } from './daemon-process.js';

/** What every live object says about itself matches the checked-in definitions in spec/. */

const spec = loadInterfaceDefinitions();
const standard = ['org.freedesktop.DBus.Introspectable', 'org.freedesktop.DBus.Peer', 'org.freedesktop.DBus.Properties'];
let bus: PrivateBus;
let daemon: DaemonProcess;
let client: BusClient;
const objects: { path: string; busName: string; interfaces: string[] }[] = [];

beforeAll(async () => {
  bus = await startPrivateBus();
  client = await BusClient.connect(bus.address);
  daemon = spawnDaemon(bus.address, ['--persist']);
  for (let i = 0; i < 200 && !(await client.ownerOf(CM)); i++) await new Promise((r) => setTimeout(r, 25));
  const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new dbus.Variant('s', 'looking@example') }])) as [string, string];
  await client.call(name, path, `${TP}.Connection`, 'Connect');
  const request = {
    [`${TP}.Channel.ChannelType`]: new dbus.Variant('s', `${TP}.Channel.Type.Text`),
    [`${TP}.Channel.TargetHandleType`]: new dbus.Variant('u', 1),
    [`${TP}.Channel.TargetID`]: new dbus.Variant('s', 'mirror@example'),
  };
  const [channel] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [request])) as [string];
  const roomRequest = { ...request, [`${TP}.Channel.TargetHandleType`]: new dbus.Variant('u', 2) };
  const [room] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [roomRequest])) as [string];
  const listRequest = { [`${TP}.Channel.ChannelType`]: new dbus.Variant('s', `${TP}.Channel.Type.RoomList`) };
  const [roomList] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [listRequest])) as [string];
  objects.push(
    { path: CM_PATH, busName: CM, interfaces: ['ConnectionManager'] },
    { path: `${CM_PATH}/echo`, busName: CM, interfaces: ['Protocol', 'Protocol.Interface.Presence', 'Protocol.Interface.Avatars'] },
    {
      path,
      busName: name,
      interfaces: [
        'Connection',
        'Connection.Interface.Requests',
        'Connection.Interface.Contacts',
        'Connection.Interface.SimplePresence',
        'Connection.Interface.ContactList',
        'Connection.Interface.ContactGroups',
        'Connection.Interface.Aliasing',
        'Connection.Interface.Avatars',
      ],
    },
    { path: channel, busName: name, interfaces: ['Channel', 'Channel.Type.Text', 'Channel.Interface.Messages', 'Channel.Interface.Destroyable', 'Channel.Interface.ChatState'] },
    {
      path: room,
      busName: name,
      interfaces: ['Channel', 'Channel.Type.Text', 'Channel.Interface.Messages', 'Channel.Interface.Destroyable', 'Channel.Interface.Group', 'Channel.Interface.Room2', 'Channel.Interface.Subject2'],
    },
    { path: roomList, busName: name, interfaces: ['Channel', 'Channel.Type.RoomList'] },
    { path: '/org/freedesktop/Telepathy/debug', busName: CM, interfaces: ['Debug'] },
    { path: `${CM_PATH}/email`, busName: CM, interfaces: ['Protocol', 'Protocol.Interface.Addressing'] },
  );
});

afterAll(async () => {
  daemon.child.kill('SIGTERM');
  expect(await within(daemon.exited, 5000, 'daemon exit')).toBe(0);
  client.disconnect();
  await bus.stop();
});

/** Names and signatures only: other libraries drop argument names and reorder freely. */
const shape = (d: InterfaceDefinition) => ({
  methods: d.methods.map((m) => `${m.name}(${m.inArgs.map((a) => a.type).join('')})→(${m.outArgs.map((a) => a.type).join('')})`).sort(),
  signals: d.signals.map((s) => `${s.name}(${s.args.map((a) => a.type).join('')})`).sort(),
  properties: d.properties.map((p) => `${p.name}:${p.type}:${p.access}`).sort(),
});

describe('introspection of the live objects', () => {
  it('covers every interface in spec/telepathy', () => {
    expect([...new Set(objects.flatMap((o) => o.interfaces.map((i) => `${TP}.${i}`)))].sort()).toEqual([...spec.keys()].sort());
  });

  it.each(['connection manager', 'protocol', 'connection', 'text channel', 'room', 'room list', 'debug object', 'email protocol'].map((what, i) => [what, i] as const))(
    'the %s exports exactly its interfaces, as the spec defines them',
    async (_what, index) => {
      const object = objects[index]!;
      const { interfaces } = await gdbusIntrospect(bus.address, object.busName, object.path);
      expect(interfaces.map((i) => i.name).sort()).toEqual([...standard, ...object.interfaces.map((i) => `${TP}.${i}`)].sort());
      for (const live of interfaces.filter((i) => !standard.includes(i.name))) {
        expect(shape(live), live.name).toEqual(shape(spec.get(live.name)!));
      }
    },
  );

  it('lists the objects below the manager as children', async () => {
    const { xml } = await gdbusIntrospect(bus.address, CM, CM_PATH);
    expect(xml).toMatch(/<node name="echo"\s*\/>/);
  });
});
