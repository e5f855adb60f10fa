import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { ALICE, ME, meParameters, requestEmail, settle, startEmailHarness } from './email-harness.js';

const C = Iface.Connection;

describe('an email connection signing in', () => {
  it('is CONNECTING while it signs in, then CONNECTED', async () => {
    const { client, signals } = await startEmailHarness();
    const conn = await requestEmail(client);
    await conn.call(C, 'Connect');
    expect(signals('StatusChanged').map((s) => s.args)).toEqual([[1, 1]]);
    await settle();
    expect(signals('StatusChanged').map((s) => s.args)).toEqual([[1, 1], [0, 1]]);
    expect(await conn.call(C, 'GetProtocol')).toEqual(['email']);
    expect(await conn.call(C, 'GetSelfHandle')).toEqual([1]);
    expect(conn.busName).toBe('org.freedesktop.Telepathy.Connection.cave.email.me_40cave_2etest');
  });

  it('with a wrong password: ConnectionError AuthenticationFailed, then Disconnected with Authentication_Failed', async () => {
    const { client, signals, bus } = await startEmailHarness();
    const conn = await requestEmail(client, meParameters('wrong-Secret-0000'));
    await conn.call(C, 'Connect');
    await settle();
    const ends = signals().filter((s) => s.member === 'ConnectionError' || s.member === 'StatusChanged').map((s) => [s.member, s.args[0]]);
    expect(ends).toEqual([['StatusChanged', 1], ['ConnectionError', ErrorNames.AuthenticationFailed], ['StatusChanged', 2]]);
    expect(signals('StatusChanged').at(-1)?.args).toEqual([2, 3]);
    expect(JSON.stringify(bus.log.filter((e) => e.kind !== 'call'))).not.toContain('wrong-Secret-0000'); // only the client's own call carries it
  });

  it('with the servers unreachable: Network_Error, so an account manager retries', async () => {
    const { client, signals, network } = await startEmailHarness();
    network.reachable = false;
    const conn = await requestEmail(client);
    await conn.call(C, 'Connect');
    await settle();
    expect(signals('ConnectionError').map((s) => s.args[0])).toEqual([ErrorNames.NetworkError]);
    expect(signals('StatusChanged').at(-1)?.args).toEqual([2, 2]);
  });

  it('when the network drops mid-session: Network_Error; what was not acknowledged comes again next time', async () => {
    const { client, signals, network } = await startEmailHarness();
    let conn = await requestEmail(client);
    await conn.call(C, 'Connect');
    await settle();
    network.deliver(ME.address, { from: ALICE.address, text: 'still there?' });
    network.flush();
    network.drop(ME.address);
    await settle();
    expect(signals('StatusChanged').at(-1)?.args).toEqual([2, 2]);
    expect(signals('MessageReceived')).toHaveLength(1);
    conn = await requestEmail(client);
    await conn.call(C, 'Connect');
    await settle();
    const received = signals('MessageReceived');
    expect(received).toHaveLength(2);
    expect((received[1]!.args[0] as { content: { value: string } }[])[1]!.content.value).toBe('still there?');
  });

  it('disconnected while signing in: Disconnected (Requested) once, and never CONNECTED after', async () => {
    const { client, signals } = await startEmailHarness();
    const conn = await requestEmail(client);
    await conn.call(C, 'Connect');
    await conn.call(C, 'Disconnect');
    await settle();
    expect(signals('StatusChanged').map((s) => s.args)).toEqual([[1, 1], [2, 1]]);
    expect(signals('ConnectionError')).toEqual([]);
  });

  it('a sign-in that fails after the user disconnected says nothing more', async () => {
    const { client, signals, network } = await startEmailHarness();
    network.reachable = false;
    const conn = await requestEmail(client);
    await conn.call(C, 'Connect');
    await conn.call(C, 'Disconnect');
    await settle();
    expect(signals('ConnectionError')).toEqual([]);
    expect(signals('StatusChanged').map((s) => s.args)).toEqual([[1, 1], [2, 1]]);
  });
});
