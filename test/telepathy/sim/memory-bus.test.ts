import { describe, expect, it } from 'vitest';
import type { BusObjectHandler, MethodCall, Reply } from '#telepathy/domain/bus/bus.port.js';
import { ErrorNames, TelepathyError } from '#telepathy/domain/errors/telepathy-error.js';
import { MemoryBus } from '#sim/telepathy/memory-bus.js';
import { BusCallError, BusErrorNames, PROPERTIES_IFACE } from '#sim/telepathy/bus-events.js';
import { errorOf } from '#test/telepathy/support/harness.js';

const IFACE = 'org.example.Thing';

/** A tiny handler: `Echo` answers its arguments, `Announce` signals before and after replying. */
function serviceWith(behaviour: (call: MethodCall) => Reply | Promise<Reply>) {
  const bus = new MemoryBus();
  const service = bus.service();
  const handler: BusObjectHandler = {
    call: behaviour,
    getProperty: (_path, _iface, name) => {
      if (name !== 'Size') throw new TelepathyError(ErrorNames.InvalidArgs, 'no such property');
      return { signature: 'u', value: 3 };
    },
    propertyNames: () => ['Size'],
  };
  service.serve(handler);
  service.addObject('/thing', [IFACE]);
  return { bus, service };
}

describe('memory bus', () => {
  it('tells the handler who called, and copies arguments and replies', async () => {
    const seen: MethodCall[] = [];
    const { bus, service } = serviceWith((call) => (seen.push(call), { values: [call.args[0]] }));
    const client = bus.client();
    const sent = { nested: [1] };
    const [back] = (await client.call(service.uniqueName, '/thing', IFACE, 'Echo', [sent])) as [typeof sent];
    expect(seen[0]).toMatchObject({ sender: client.uniqueName, path: '/thing', interface: IFACE, member: 'Echo' });
    expect(back).toEqual(sent);
    expect(back).not.toBe(sent);
    expect(seen[0]!.args[0]).not.toBe(sent);
  });

  it('delivers signals emitted during a call before its reply, and after-signals right after it', async () => {
    const { bus, service } = serviceWith(() => {
      service.emit({ path: '/thing', interface: IFACE, member: 'During', args: [] });
      return { values: [], after: [{ path: '/thing', interface: IFACE, member: 'After', args: [] }] };
    });
    const client = bus.client();
    const other = bus.client();
    await client.call(service.uniqueName, '/thing', IFACE, 'Go');
    expect(client.received.map((e) => (e.kind === 'signal' ? e.member : e.kind))).toEqual(['During', 'reply', 'After']);
    expect(other.received.map((e) => (e.kind === 'signal' ? e.member : e.kind))).toEqual(['During', 'After']);
    expect(bus.log.map((e) => e.kind)).toEqual(['call', 'signal', 'reply', 'signal']);
  });

  it('lets other calls in only while an asynchronous handler waits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { bus, service } = serviceWith(async (call) => {
      if (call.member === 'Slow') await gate;
      return { values: [call.member] };
    });
    const client = bus.client();
    const slow = client.call(service.uniqueName, '/thing', IFACE, 'Slow');
    await client.call(service.uniqueName, '/thing', IFACE, 'Fast');
    release();
    await slow;
    expect(bus.log.map((e) => (e.kind === 'reply' ? e.values[0] : e.kind))).toEqual(['call', 'call', 'Fast', 'Slow']);
  });

  it('turns a TelepathyError into an error reply with its name, and anything else into a bare Failed', async () => {
    const { bus, service } = serviceWith((call) => {
      if (call.member === 'Refuse') throw new TelepathyError(ErrorNames.NotAvailable, 'not now');
      if (call.member === 'Later') return Promise.reject(new TelepathyError(ErrorNames.Disconnected, 'gone'));
      throw new Error('secret stack');
    });
    const client = bus.client();
    expect(await errorOf(client.call(service.uniqueName, '/thing', IFACE, 'Refuse'))).toBe(ErrorNames.NotAvailable);
    expect(await errorOf(client.call(service.uniqueName, '/thing', IFACE, 'Later'))).toBe(ErrorNames.Disconnected);
    const crash = await client.call(service.uniqueName, '/thing', IFACE, 'Crash').catch((e: BusCallError) => e);
    expect(crash).toMatchObject({ dbusName: BusErrorNames.Failed, text: 'internal error' });
    expect(JSON.stringify(bus.log)).not.toContain('secret');
  });

  it('answers like dbus-next for unknown names, objects, interfaces and properties', async () => {
    const { bus, service } = serviceWith(() => ({ values: [] }));
    const client = bus.client();
    const dest = service.uniqueName;
    expect(await errorOf(client.call('org.example.Nobody', '/thing', IFACE, 'X'))).toBe(BusErrorNames.ServiceUnknown);
    expect(await errorOf(client.call(dest, '/nothing', IFACE, 'X'))).toBe(BusErrorNames.UnknownMethod);
    expect(await errorOf(client.call(dest, '/thing', 'org.example.Other', 'X'))).toBe(BusErrorNames.UnknownMethod);
    expect(await errorOf(client.getAll(dest, '/nothing', IFACE))).toBe(BusErrorNames.InvalidArgs);
    expect(await errorOf(client.getAll(dest, '/thing', 'org.example.Other'))).toBe(BusErrorNames.InvalidArgs);
    expect(await errorOf(client.get(dest, '/thing', IFACE, 'Colour'))).toBe(BusErrorNames.InvalidArgs);
    expect(await errorOf(client.call(dest, '/thing', PROPERTIES_IFACE, 'Set', [IFACE, 'Size', { signature: 'u', value: 1 }]))).toBe(
      BusErrorNames.InvalidArgs,
    );
    expect(await client.get(dest, '/thing', IFACE, 'Size')).toEqual({ signature: 'u', value: 3 });
    expect(await client.getAll(dest, '/thing', IFACE)).toEqual({ Size: { signature: 'u', value: 3 } });
  });

  it('refuses calls to a service that has no handler yet', async () => {
    const bus = new MemoryBus();
    const service = bus.service();
    service.addObject('/thing', [IFACE]);
    const client = bus.client();
    expect(await errorOf(client.call(service.uniqueName, '/thing', IFACE, 'X'))).toBe(BusErrorNames.UnknownMethod);
    expect(await errorOf(client.getAll(service.uniqueName, '/thing', IFACE))).toBe(BusErrorNames.InvalidArgs);
  });

  it('routes well-known names to their owner and refuses a name owned by someone else', async () => {
    const { bus, service } = serviceWith(() => ({ values: ['hi'] }));
    const client = bus.client();
    await service.requestName('org.example.Thing');
    await service.requestName('org.example.Thing');
    expect(await client.call('org.example.Thing', '/thing', IFACE, 'X')).toEqual(['hi']);
    expect(client.requestName('org.example.Thing')).toBe(false);
    expect(client.requestName('org.example.Mine')).toBe(true);
    await expect(service.requestName('org.example.Mine')).rejects.toThrow(/owned by another/);
    await service.releaseName('org.example.Mine');
    expect(bus.ownerOf('org.example.Mine')).toBe(client.uniqueName);
    await service.releaseName('org.example.Thing');
    expect(bus.ownerOf('org.example.Thing')).toBeUndefined();
  });

  it('refuses a signal from an object that is not exported (a real bus would drop it silently)', () => {
    const { service } = serviceWith(() => ({ values: [] }));
    service.removeObject('/thing');
    expect(service.exportedPaths).toEqual([]);
    expect(() => service.emit({ path: '/thing', interface: IFACE, member: 'Late', args: [] })).toThrow(/unexported/);
  });

  it('forgets a vanished client: its names are released and nothing more reaches it', async () => {
    const { bus, service } = serviceWith(() => ({ values: [] }));
    const leaver = bus.client();
    const stayer = bus.client();
    leaver.requestName('org.example.Leaver');
    leaver.vanish();
    expect(leaver.vanished).toBe(true);
    expect(bus.ownerOf('org.example.Leaver')).toBeUndefined();
    service.emit({ path: '/thing', interface: IFACE, member: 'Hello', args: [] });
    expect(leaver.received).toEqual([]);
    expect(stayer.received).toHaveLength(1);
    expect(() => leaver.call(service.uniqueName, '/thing', IFACE, 'X')).toThrow(/left the bus/);
    expect(bus.log.at(-2)).toEqual({ kind: 'vanished', client: leaver.uniqueName });
  });
});
