/**
 * Fuzzing the built telepathy-cave on a private bus: random calls (fuzz-calls.ts) to what it
 * exports and what it does not, some from clients that vanish at once. Every call gets a reply or
 * a D-Bus error of ours, the daemon lives, its memory stays bounded, and an echo still works.
 * CI: FUZZ_CALLS (default 2,000). Longer: `FUZZ_CALLS=100000 npm run fuzz` or FUZZ_SECONDS=…;
 * a failure prints fast-check's seed and path to replay.
 */
import { readFileSync } from 'node:fs';
import dbus from 'dbus-next';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { BusClient } from '#test/telepathy/dbus/bus-client.js';
import { CM, CM_PATH, spawnDaemon, TP, type DaemonProcess } from '#test/telepathy/dbus/daemon-process.js';
import { WireClient } from '#test/telepathy/dbus/wire-client.js';
import { fuzzCall } from './fuzz-calls.js';

const CALLS = Number(process.env.FUZZ_CALLS ?? 2000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 0);
const { Variant } = dbus;

let bus: PrivateBus;
let daemon: DaemonProcess;
let client: BusClient;
let owner: string;
const paths: string[] = [CM_PATH, `${CM_PATH}/echo`];

const textRequest = (id: string) => ({
  [`${TP}.Channel.ChannelType`]: new Variant('s', `${TP}.Channel.Type.Text`),
  [`${TP}.Channel.TargetHandleType`]: new Variant('u', 1),
  [`${TP}.Channel.TargetID`]: new Variant('s', id),
});

beforeAll(async () => {
  bus = await startPrivateBus();
  client = await BusClient.connect(bus.address);
  daemon = spawnDaemon(bus.address, ['--persist']);
  for (let i = 0; i < 200 && !owner; i++) owner = (await client.ownerOf(CM)) ?? (await new Promise((r) => setTimeout(r, 25)), '');
  const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', 'fuzz') }])) as [string, string];
  await client.call(name, path, `${TP}.Connection`, 'Connect');
  const [live] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [textRequest('carol')])) as [string];
  const [closed] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'CreateChannel', 'a{sv}', [textRequest('dave')])) as [string];
  await client.call(name, closed, `${TP}.Channel`, 'Close');
  paths.push(path, live, closed);
}, 30_000);

afterAll(async () => {
  daemon.child.kill('SIGTERM');
  await daemon.exited;
  client.disconnect();
  await bus.stop();
});

const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

describe('telepathy-cave under random D-Bus calls', () => {
  it(`answers every call, stays up and bounded, and still echoes (${CALLS} calls${SECONDS ? ` or ${SECONDS} s` : ''})`, async () => {
    const wire = await WireClient.connect(bus.address);
    // RSS before, then every 200 calls: growth must stay bounded.
    const rss: number[] = [rssMiB()];
    let made = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCall(paths), fc.nat({ max: 19 }), async (call, dice) => {
        if (made++ % 200 === 199) rss.push(rssMiB());
        if (dice === 0) {
          // A client that calls and leaves before the answer: the daemon must not mind.
          const leaver = await WireClient.connect(bus.address);
          void leaver.call(owner, call.path, call.iface, call.member, call.signature, call.body);
          leaver.disconnect();
          return;
        }
        const answer = await wire.call(owner, call.path, call.iface, call.member, call.signature, call.body);
        expect(answer.error ?? '').not.toMatch(/^com\.github\.dbus_next|NoReply|ServiceUnknown/);
        expect(daemon.child.exitCode, daemon.stderr()).toBeNull();
      }),
      { numRuns: SECONDS ? Number.MAX_SAFE_INTEGER : CALLS, interruptAfterTimeLimit: SECONDS ? SECONDS * 1000 : undefined },
    );
    wire.disconnect();
    expect(rssMiB()).toBeLessThan(200);
    console.log(`daemon RSS (MiB) every 200 fuzzed calls: ${rss.map((r) => r.toFixed(0)).join(' ')}`);
    expect(Math.max(...rss) - rss[0]!).toBeLessThan(64);
    // Afterwards a plain echo conversation works.
    const [name, path] = (await client.call(CM, CM_PATH, `${TP}.ConnectionManager`, 'RequestConnection', 'sa{sv}', ['echo', { account: new Variant('s', 'after-fuzz') }])) as [string, string];
    await client.call(name, path, `${TP}.Connection`, 'Connect');
    const [, channel] = (await client.call(name, path, `${TP}.Connection.Interface.Requests`, 'EnsureChannel', 'a{sv}', [textRequest('erin')])) as [boolean, string];
    const parts = [{}, { 'content-type': new Variant('s', 'text/plain'), content: new Variant('s', 'still here?') }];
    await client.call(name, channel, `${TP}.Channel.Interface.Messages`, 'SendMessage', 'aa{sv}u', [parts, 0]);
    const echoed = await client.waitForSignal((s) => s.member === 'MessageReceived' && s.path === channel);
    expect((echoed.body[0] as Record<string, { value: unknown }>[])[1]?.content?.value).toBe('still here?');
  }, 600_000);
});
