/** The handler as any bus adapter drives it, including calls the in-memory bus would filter out. */
import { describe, expect, it } from 'vitest';
import { createConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { ErrorNames, TelepathyError } from '#telepathy/domain/errors/telepathy-error.js';
import { CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import { MemoryBus } from '#sim/telepathy/memory-bus.js';
import { connected, errorOf, requestConnection, startHarness } from '#test/telepathy/support/harness.js';

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof TelepathyError ? error.dbusName : 'other';
  }
  return 'none';
};

describe('connection manager as a bus object handler', () => {
  const manager = createConnectionManager(new MemoryBus().service(), { clock: { now: () => 0 } });

  it('answers UnknownMethod for objects and interfaces it does not have', async () => {
    await manager.start();
    const call = { sender: ':1.9', path: CM_PATH, interface: Iface.ConnectionManager, member: 'ListProtocols', args: [] };
    expect(failure(() => manager.call({ ...call, path: '/nowhere' }))).toBe(ErrorNames.UnknownMethod);
    expect(failure(() => manager.call({ ...call, interface: 'org.example.Nope' }))).toBe(ErrorNames.UnknownMethod);
    expect(manager.call(call)).toEqual({ values: [['echo']] });
  });

  it('answers InvalidArgs for properties it does not have, and lists none for unknown objects', () => {
    expect(failure(() => manager.getProperty(CM_PATH, 'org.example.Nope', 'X'))).toBe(ErrorNames.InvalidArgs);
    expect(failure(() => manager.getProperty('/nowhere', Iface.ConnectionManager, 'Protocols'))).toBe(ErrorNames.InvalidArgs);
    expect(manager.propertyNames('/nowhere', Iface.ConnectionManager)).toEqual([]);
    expect(manager.propertyNames(CM_PATH, 'org.example.Nope')).toEqual([]);
    expect(manager.propertyNames(CM_PATH, Iface.ConnectionManager)).toEqual(['Protocols', 'Interfaces']);
  });

  it('lets a shutdown wait for a Disconnect already under way, ending the connection once', async () => {
    const { client, manager: cm, bus } = await startHarness();
    const conn = await connected(client, 'me');
    const disconnecting = conn.call(Iface.Connection, 'Disconnect');
    await cm.shutdown();
    expect(cm.liveConnections).toBe(0);
    await disconnecting;
    const finals = bus.log.filter((e) => e.kind === 'signal' && e.member === 'StatusChanged' && e.args[0] === 2);
    expect(finals).toHaveLength(1);
  });

  it('refuses connections requested during or after a shutdown, leaving no name behind', async () => {
    const { client, manager: cm, bus } = await startHarness();
    const racing = requestConnection(client, 'late');
    await cm.shutdown();
    expect(await errorOf(racing)).toBe(ErrorNames.NotAvailable);
    expect(await errorOf(requestConnection(client, 'later'))).toBe(ErrorNames.NotAvailable);
    expect(bus.ownerOf('org.freedesktop.Telepathy.Connection.cave.echo.late')).toBeUndefined();
    expect(cm.liveConnections).toBe(0);
  });

  it('refuses a second request for an account whose first request is still waiting for its name', async () => {
    const { client } = await startHarness();
    const first = requestConnection(client, 'me');
    expect(await errorOf(requestConnection(client, 'me'))).toBe(ErrorNames.NotAvailable);
    await first;
  });
});
