/**
 * The whole connection manager on the in-memory bus, with no D-Bus at all: one simulated client
 * signs in, opens a text channel and sends a message. Returns the bus log, one line per event,
 * so a test (test/docs/examples.test.ts) can check the order the spec requires.
 */
import { ManualTimer } from '#sim/telepathy/manual-timer.js';
import { MemoryBus } from '#sim/telepathy/memory-bus.js';
import { createConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import { s, u } from '#telepathy/domain/values/typed-values.js';

export async function echoOnMemoryBus(): Promise<string[]> {
  // The domain gets a BusPort (the service's end of the bus), a clock and a timer; nothing else.
  const bus = new MemoryBus();
  const service = bus.service();
  const timer = new ManualTimer();
  const manager = createConnectionManager(service, { clock: { now: () => Date.UTC(2024, 0, 1) }, timer });
  service.serve(manager);
  await manager.start();

  const client = bus.client();
  const [busName, connection] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [
    'echo',
    { account: s('me@example.com') },
  ])) as [string, string];
  await client.call(busName, connection, Iface.Connection, 'Connect');
  const [channel] = (await client.call(busName, connection, Iface.Requests, 'CreateChannel', [
    {
      [`${Iface.Channel}.ChannelType`]: s(Iface.Text),
      [`${Iface.Channel}.TargetHandleType`]: u(1),
      [`${Iface.Channel}.TargetID`]: s('alice@example.com'),
    },
  ])) as [string];
  const message = [{ 'message-type': u(0) }, { 'content-type': s('text/plain'), content: s('hello') }];
  await client.call(busName, channel, Iface.Messages, 'SendMessage', [message, 0]);
  // The echo is the contact's answer: it arrives once time has passed.
  timer.advance(25);

  // Everything that crossed the bus, in order: calls, replies, errors and signals.
  return bus.log.map((event) =>
    event.kind === 'call' ? `call ${event.member}` : event.kind === 'signal' ? `  signal ${event.member}` : `  ${event.kind}`,
  );
}
