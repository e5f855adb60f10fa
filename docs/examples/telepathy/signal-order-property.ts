/**
 * A property test in the style of test/telepathy/properties.test.ts, small enough to read: for
 * any sequence of channel requests to any contacts, every NewChannels on the in-memory bus comes
 * after the reply to the request that made the channel, never before it.
 */
import fc from 'fast-check';
import { MemoryBus } from '#sim/telepathy/memory-bus.js';
import { createConnectionManager } from '#telepathy/domain/manager/connection-manager.js';
import { CM_BUS_NAME, CM_PATH, Iface } from '#telepathy/domain/names/names.js';
import { s, u } from '#telepathy/domain/values/typed-values.js';

const request = (contact: string) => ({
  [`${Iface.Channel}.ChannelType`]: s(Iface.Text),
  [`${Iface.Channel}.TargetHandleType`]: u(1),
  [`${Iface.Channel}.TargetID`]: s(contact),
});

/** Create or Ensure a channel to one of a few contacts (so some requests meet an existing channel). */
const requestArbitrary = fc.record({
  method: fc.constantFrom('CreateChannel', 'EnsureChannel'),
  contact: fc.constantFrom('alice', 'bob', 'carol'),
});

export async function checkReplyBeforeNewChannels(numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(requestArbitrary, { maxLength: 12 }), async (requests) => {
      const bus = new MemoryBus();
      const service = bus.service();
      const manager = createConnectionManager(service, { clock: { now: () => 0 } });
      service.serve(manager);
      await manager.start();
      const client = bus.client();
      const [name, path] = (await client.call(CM_BUS_NAME, CM_PATH, Iface.ConnectionManager, 'RequestConnection', [
        'echo',
        { account: s('me') },
      ])) as [string, string];
      await client.call(name, path, Iface.Connection, 'Connect');
      for (const { method, contact } of requests) {
        // CreateChannel on an existing channel is refused (NotAvailable): that is fine here.
        await client.call(name, path, Iface.Requests, method, [request(contact)]).catch(() => undefined);
      }
      // Every NewChannels must follow the reply to the call that made its channel.
      const answered = new Set<number>();
      let lastCall = -1;
      for (const event of bus.log) {
        if (event.kind === 'call') lastCall = event.serial;
        if (event.kind === 'reply' || event.kind === 'error') answered.add(event.replyTo);
        if (event.kind === 'signal' && event.member === 'NewChannels' && !answered.has(lastCall)) {
          throw new Error(`NewChannels before the reply to call ${lastCall}`);
        }
      }
    }),
    { numRuns },
  );
}
