/**
 * What the dbus-next adapter does when something goes wrong that no caller hears of: it says so
 * in one line on its problem log (the daemon's stderr, verbose or not), and drops nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbusNextBus } from '#telepathy/adapters/dbus-next/dbus-next-bus.js';
import { startPrivateBus, type PrivateBus } from '#telepathy/adapters/dbus-daemon/private-bus.js';
import { FakeHandler, iface, rootPath, testDefinitions } from './fake-handler.js';
import { WireClient } from './wire-client.js';

const name = 'org.example.Cave';
let privateBus: PrivateBus;
let server: DbusNextBus;
let client: WireClient;
const problems: string[] = [];

beforeAll(async () => {
  privateBus = await startPrivateBus();
  // No debug log at all: what must be seen goes to `problem`.
  server = await DbusNextBus.connect({ address: privateBus.address, definitions: testDefinitions, problem: (l) => problems.push(l) });
  server.addObject(rootPath, [iface]);
  server.serve(new FakeHandler(server));
  await server.requestName(name);
  client = await WireClient.connect(privateBus.address);
});

afterAll(async () => {
  client.disconnect();
  server.disconnect();
  await privateBus.stop();
});

const call = (member: string) => client.call(name, rootPath, iface, member);

describe('problems in the dbus-next adapter', () => {
  it("logs a handler's bug in one line, and not a client's mistake", async () => {
    problems.length = 0;
    expect((await call('Crash')).error).toBe('org.freedesktop.Telepathy.Error.NotAvailable');
    expect((await client.call(name, rootPath, iface, 'Named', 's', ['org.freedesktop.Telepathy.Error.InvalidHandle'])).error).toBe('org.freedesktop.Telepathy.Error.InvalidHandle');
    expect(problems).toEqual([`${iface}.Crash failed: a bug with a stack trace`]);
  });

  it('logs a signal it could not send after a reply', async () => {
    problems.length = 0;
    expect((await call('AnnounceNothing')).error).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/could not emit Working after a reply/)]);
  });

  it('sends the after-reply signals even when it cannot tell which call it answers, after the reply, and logs it', async () => {
    problems.length = 0;
    // The hook that records the current call did not run (or recorded another call).
    const withHook = server as unknown as { intercept(message: unknown): boolean };
    const intercept = withHook.intercept;
    withHook.intercept = () => false;
    const answer = await call('Create').finally(() => (withHook.intercept = intercept));
    await new Promise((r) => setTimeout(r, 200));
    const replyAt = client.events.findIndex((e) => e.kind === 'reply' && e.replyTo === answer.serial);
    const createdAt = client.events.findIndex((e) => e.kind === 'signal' && e.member === 'Created' && e.body[0] === answer.body[0]);
    expect(replyAt).toBeGreaterThanOrEqual(0);
    expect(createdAt).toBeGreaterThan(replyAt);
    expect(problems).toEqual([expect.stringMatching(/Create: no call to order Created after/)]);
  });

  it('logs bus errors (what dbus-next forwards from its socket)', async () => {
    problems.length = 0;
    const quick = await DbusNextBus.connect({ address: privateBus.address, problem: (l) => problems.push(l) });
    (quick as unknown as { bus: NodeJS.EventEmitter }).bus.emit('error', new Error('EPIPE, say'));
    quick.disconnect();
    expect(problems).toEqual(['bus error: EPIPE, say']);
  });
});
