import { describe, expect, it } from 'vitest';
import { DEBUG_PATH, DebugMessages } from '#telepathy/domain/debug/debug-messages.js';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { createConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { CM_BUS_NAME, Iface } from '#telepathy/domain/names/names.js';
import { MemoryBus } from '#sim/telepathy/memory-bus.js';
import { errorOf, tv } from '#test/telepathy/support/harness.js';

const PROPS = 'org.freedesktop.DBus.Properties';

async function debugged(capacity?: number) {
  const bus = new MemoryBus();
  const service = bus.service();
  const clock = { now: () => 1_700_000_000_500 };
  const debug = new DebugMessages(clock, capacity);
  const manager = createConnectionManager(service, { clock, debug });
  service.serve(manager);
  await manager.start();
  const client = bus.client();
  const call = (member: string, args: unknown[] = []) => client.call(CM_BUS_NAME, DEBUG_PATH, Iface.Debug, member, args);
  const enable = (on: unknown) => client.call(CM_BUS_NAME, DEBUG_PATH, PROPS, 'Set', [Iface.Debug, 'Enabled', on]);
  const announced = () => bus.log.flatMap((e) => (e.kind === 'signal' && e.member === 'NewDebugMessage' ? [e.args] : []));
  return { debug, client, call, enable, announced };
}

describe('the Debug interface', () => {
  it('gives the kept log lines as (time, domain, level, text), with seconds as a double', async () => {
    const { debug, call } = await debugged();
    debug.add('cave', 5, 'call :1.2 /x a.B');
    expect(await call('GetMessages')).toEqual([[[1_700_000_000.5, 'cave', 5, 'call :1.2 /x a.B']]]);
  });

  it('announces new lines only while a viewer has set Enabled', async () => {
    const { debug, client, enable, announced } = await debugged();
    expect(await client.get(CM_BUS_NAME, DEBUG_PATH, Iface.Debug, 'Enabled')).toEqual(tv('b', false));
    debug.add('cave', 5, 'before');
    await enable(tv('b', true));
    expect(await client.get(CM_BUS_NAME, DEBUG_PATH, Iface.Debug, 'Enabled')).toEqual(tv('b', true));
    debug.add('cave', 0, 'while enabled');
    await enable(tv('b', false));
    debug.add('cave', 5, 'after');
    expect(announced()).toEqual([[1_700_000_000.5, 'cave', 0, 'while enabled']]);
  });

  it('keeps only the latest lines', async () => {
    const { debug, call } = await debugged(3);
    for (const n of [1, 2, 3, 4, 5]) debug.add('cave', 5, `line ${n}`);
    const [kept] = (await call('GetMessages')) as [[number, string, number, string][]];
    expect(kept.map(([, , , text]) => text)).toEqual(['line 3', 'line 4', 'line 5']);
  });

  it('does not record its own announcements, which a bus may log in turn', async () => {
    const { debug, enable, announced } = await debugged();
    await enable(tv('b', true));
    debug.attach(() => debug.add('cave', 5, 'signal /org/freedesktop/Telepathy/debug NewDebugMessage'));
    debug.add('cave', 5, 'one line');
    expect(debug.messages().map(([, , , text]) => text)).toEqual(['one line']);
    expect(announced()).toEqual([]);
  });

  it('refuses an Enabled that is not a boolean, and other writes', async () => {
    const { client, enable } = await debugged();
    expect(await errorOf(enable(tv('s', 'yes')))).toBe(ErrorNames.InvalidArgument);
    expect(await errorOf(client.call(CM_BUS_NAME, DEBUG_PATH, PROPS, 'Set', [Iface.Debug, 'Nope', tv('b', true)]))).toBe(ErrorNames.InvalidArgs);
  });
});
