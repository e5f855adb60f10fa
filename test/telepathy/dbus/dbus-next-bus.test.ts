import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbusNextBus } from '#telepathy/adapters/dbus-next/dbus-next-bus.js';
import { NameTakenError } from '#telepathy/domain/bus/bus.port.js';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { gdbusCall, gdbusError, gdbusIntrospect, pythonCall } from './clients.js';
import { FakeHandler, iface, rootPath, testDefinitions, testInterface } from './fake-handler.js';

const name = 'org.example.Cave';
let privateBus: PrivateBus;
let server: DbusNextBus;
let handler: FakeHandler;
const log: string[] = [];

beforeAll(async () => {
  privateBus = await startPrivateBus();
  server = await DbusNextBus.connect({ address: privateBus.address, definitions: testDefinitions, log: (l) => log.push(l) });
  handler = new FakeHandler(server);
  server.addObject(rootPath, [iface]);
  server.serve(handler);
  await server.requestName(name);
});

afterAll(async () => {
  server.disconnect();
  await privateBus.stop();
});

const call = (member: string, signature = '', args = '()') => pythonCall(privateBus.address, name, rootPath, iface, member, signature, args);

describe('the dbus-next adapter, seen by other D-Bus libraries', () => {
  it("tells the handler each caller's unique name, even after an await (dbus-next does not)", async () => {
    const [first, second] = await Promise.all([call('WhoAmI'), call('WhoAmI')]);
    expect(first?.caller).toMatch(/^:1\.\d+$/);
    expect(first?.reply).toBe(`('${first?.caller}',)`);
    expect(second?.reply).toBe(`('${second?.caller}',)`);
    expect(first?.caller).not.toBe(second?.caller);
  });

  it('sends dicts with integer keys as integers (a{ua{sv}}, a{u(uss)}, a{us})', async () => {
    expect(await gdbusCall(privateBus.address, name, rootPath, `${iface}.Attributes`)).toBe(
      "({uint32 7: {'org.example/id': <'seven'>, 'org.example/n': <uint32 7>}},)",
    );
    expect(await gdbusCall(privateBus.address, name, rootPath, `${iface}.Presences`)).toBe(
      "({uint32 1: (uint32 2, 'available', ''), 3: (1, 'offline', 'gone')},)",
    );
    expect(await gdbusCall(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.Get', iface, 'Numbers')).toBe(
      "(<{uint32 1: 'one', 2: 'two'}>,)",
    );
  });

  it('keeps the exact signature of every variant, both ways', async () => {
    const reply = await call('Echo', 'v', '(<42>,)');
    expect(reply.reply).toBe('(<42>,)');
    const fromGdbus = await gdbusCall(privateBus.address, name, rootPath, `${iface}.Echo`, '<@a{sv} {"a": <uint32 1>, "b": <@ax [-2]>}>');
    expect(fromGdbus).toBe("(<{'a': <uint32 1>, 'b': <[int64 -2]>}>,)");
    expect(handler.calls.at(-1)?.args).toEqual([{ signature: 'a{sv}', value: { a: { signature: 'u', value: 1 }, b: { signature: 'ax', value: [-2n] } } }]);
  });

  it('returns several out-arguments in order', async () => {
    expect(await gdbusCall(privateBus.address, name, rootPath, `${iface}.Pair`, 'x', '5')).toBe("(uint32 5, 'x')");
  });

  it("answers a domain error with the error's own name and text", async () => {
    const reply = await call('Named', 's', "('org.freedesktop.Telepathy.Error.InvalidHandle',)");
    expect(reply).toMatchObject({ error: 'org.freedesktop.Telepathy.Error.InvalidHandle', message: 'as asked' });
  });

  it('answers any other failure with a plain Telepathy error and no stack trace', async () => {
    for (const member of ['Crash', 'BadReply']) {
      const reply = await call(member);
      expect(reply.error).toBe('org.freedesktop.Telepathy.Error.NotAvailable');
      expect(reply.message).not.toMatch(/Error|at |\.ts|\.js/);
    }
    const property = await gdbusError(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.Get', iface, 'Broken');
    expect(property).toContain('org.freedesktop.Telepathy.Error.NotAvailable');
    expect(property).not.toMatch(/RangeError|at |\.ts:/);
    expect(log.some((l) => l.includes('a bug with a stack trace'))).toBe(true);
  });

  it('answers a call with the wrong argument types InvalidArgs, and keeps serving', async () => {
    expect(await gdbusError(privateBus.address, name, rootPath, `${iface}.Pair`, 'x')).toContain('org.freedesktop.DBus.Error.InvalidArgs');
    expect((await call('Pair', 'us', "(1, 'x')")).error).toBe('org.freedesktop.DBus.Error.InvalidArgs');
    expect((await call('Pair', 'ss', "('a', 'b')")).error).toBe('org.freedesktop.DBus.Error.InvalidArgs');
    expect(await gdbusError(privateBus.address, name, rootPath, `${iface}.NoSuchMethod`)).toContain('org.freedesktop.DBus.Error.UnknownMethod');
    expect(await gdbusCall(privateBus.address, name, rootPath, `${iface}.Pair`, 'x', '1')).toBe("(uint32 1, 'x')");
  });

  it('lists in GetAll the properties the object has, with their declared types', async () => {
    expect(await gdbusCall(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.GetAll', iface)).toBe(
      "({'Name': <'cave test'>, 'Numbers': <{uint32 1: 'one', 2: 'two'}>},)",
    );
    const mistyped = await gdbusError(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.Get', iface, 'Mistyped');
    expect(mistyped).toContain('org.freedesktop.Telepathy.Error.NotAvailable');
    expect(await gdbusCall(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.GetAll', 'org.example.Other')).toBe('(@a{sv} {},)');
  });

  it('reads properties through the handler and refuses to set them', async () => {
    expect(await gdbusCall(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.Get', iface, 'Name')).toBe("(<'cave test'>,)");
    const set = await gdbusError(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.Set', iface, 'Name', "<'x'>");
    expect(set).toContain('org.freedesktop.DBus.Error.PropertyReadOnly');
    const unknown = await gdbusError(privateBus.address, name, rootPath, 'org.freedesktop.DBus.Properties.Set', iface, 'Nope', "<'x'>");
    expect(unknown).toContain('org.freedesktop.DBus.Error.InvalidArgs');
  });

  it('introspects as the interface definition says', async () => {
    const { interfaces } = await gdbusIntrospect(privateBus.address, name, rootPath);
    const ours = interfaces.find((i) => i.name === iface);
    const strip = (d: typeof testInterface) => ({
      methods: d.methods.map((m) => [m.name, m.inArgs.map((a) => a.type), m.outArgs.map((a) => a.type)]),
      signals: d.signals.map((s) => [s.name, s.args.map((a) => a.type)]),
      properties: d.properties.map((p) => [p.name, p.type, p.access]),
    });
    expect(ours && strip(ours)).toEqual(strip(testInterface));
  });
});

describe('signal order and object lifetime', () => {
  it('sends signals emitted during a call before its reply, and `after` signals after it, once the object is callable', async () => {
    const client = dbus.sessionBus({ busAddress: privateBus.address });
    client.on('error', () => {});
    const seen: string[] = [];
    await new Promise((resolve) => client.once('connect', resolve));
    await client.call(new dbus.Message({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'AddMatch', signature: 's', body: [`type='signal',interface='${iface}'`] }));
    const created = new Promise<string>((resolve) => {
      client.on('message', (m: dbus.Message) => {
        if (m.type === dbus.MessageType.SIGNAL && m.interface === iface) seen.push(m.member);
        if (m.type === dbus.MessageType.METHOD_RETURN && m.signature === 'o') seen.push('reply');
        if (m.member === 'Created') resolve(m.body[0] as string);
      });
    });
    await client.call(new dbus.Message({ destination: name, path: rootPath, interface: iface, member: 'Create' }));
    const path = await created;
    expect(seen).toEqual(['Working', 'reply', 'Created']);
    // The announced object answers straight away.
    expect(await gdbusCall(privateBus.address, name, path, `${iface}.Pair`, 'y', '2')).toBe("(uint32 2, 'y')");
    server.removeObject(path);
    expect(await gdbusError(privateBus.address, name, path, `${iface}.Pair`, 'y', '2')).toMatch(/UnknownMethod|UnknownObject/);
    client.disconnect();
  });

  it('still answers a call whose after-signals cannot be sent, and only logs them', async () => {
    expect(await call('AnnounceNothing')).toEqual({ caller: expect.any(String), reply: '()' });
    expect(log.some((l) => l.includes('could not emit Working after a reply'))).toBe(true);
    expect((await call('WhoAmI')).reply).toMatch(/^\(':1\.\d+',\)$/);
  });

  it('answers calls that arrive before a handler is attached with a plain error', async () => {
    const early = await DbusNextBus.connect({ address: privateBus.address, definitions: testDefinitions });
    early.addObject(rootPath, [iface]);
    const reply = await pythonCall(privateBus.address, early.uniqueName, rootPath, iface, 'WhoAmI');
    expect(reply).toMatchObject({ error: 'org.freedesktop.Telepathy.Error.NotAvailable', message: 'telepathy-cave is starting' });
    const property = await gdbusError(privateBus.address, early.uniqueName, rootPath, 'org.freedesktop.DBus.Properties.GetAll', iface);
    expect(property).toContain('org.freedesktop.Telepathy.Error.NotAvailable');
    early.disconnect();
  });

  it('refuses to announce on an object that is not exported', () => {
    expect(() => server.emit({ path: `${rootPath}/nowhere`, interface: iface, member: 'Working', args: [] })).toThrow(/no object/);
  });
});

describe('the bus connection', () => {
  it('reports a well-known name another program owns', async () => {
    const other = await DbusNextBus.connect({ address: privateBus.address, definitions: testDefinitions });
    await expect(other.requestName(name)).rejects.toBeInstanceOf(NameTakenError);
    await other.requestName('org.example.Cave.Other');
    await other.releaseName('org.example.Cave.Other');
    other.disconnect();
  });

  it('notices when the bus goes away (dbus-next itself says nothing)', async () => {
    const doomed = await startPrivateBus();
    const bus = await DbusNextBus.connect({ address: doomed.address, definitions: testDefinitions });
    const why = new Promise<string>((resolve) => bus.onClose(resolve));
    await doomed.stop();
    expect(await why).toMatch(/bus/);
    const late = await new Promise<string>((resolve) => bus.onClose(resolve));
    expect(late).toBe(await why);
  });

  it('survives disconnecting right after connecting (an error event, not a crash)', async () => {
    const bus = await DbusNextBus.connect({ address: privateBus.address, definitions: testDefinitions });
    bus.disconnect();
    const closed = await new Promise<string>((resolve) => bus.onClose(resolve));
    expect(closed).toMatch(/connection/);
  });

  it('rejects a bus address that does not work with a clear message', async () => {
    await expect(DbusNextBus.connect({ address: `unix:path=${privateBus.dir}/missing` })).rejects.toThrow(/cannot connect to the D-Bus bus/);
    await expect(DbusNextBus.connect({ address: 'disabled:' })).rejects.toThrow(/D-Bus/);
  });
});
