import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { connected, createChannel, errorOf, startHarness, textMessage, tv, type Harness } from '#test/telepathy/support/harness.js';

const CS = Iface.ChatState;
const M = Iface.Messages;
const [COMPOSING, PAUSED, ACTIVE] = [4, 3, 2];

async function chatWith(h: Harness, id: string) {
  const conn = await connected(h.client, 'me');
  const { path } = await createChannel(conn, id);
  const call = (iface: string, member: string, args: unknown[] = []) => h.client.call(conn.busName, path, iface, member, args);
  const states = async () => (await h.client.get(conn.busName, path, CS, 'ChatStates')).value;
  return { call, states };
}

/** ChatStateChanged and messages, as `handle:state` and member names, from log index `from`. */
const seen = (h: Harness, from: number) =>
  h.bus.log.slice(from).flatMap((e) => (e.kind !== 'signal' ? [] : e.member === 'ChatStateChanged' ? [`${String(e.args[0])}:${String(e.args[1])}`] : e.member === 'MessageReceived' ? ['echo'] : []));

describe('chat states', () => {
  it('are all Inactive at first', async () => {
    const h = await startHarness();
    const { states } = await chatWith(h, 'bob');
    expect(await states()).toEqual({});
  });

  it('are mirrored by the echo contact: composing while you compose, active with the echo', async () => {
    const h = await startHarness();
    const { call, states } = await chatWith(h, 'bob');
    const start = h.bus.log.length;
    await call(CS, 'SetChatState', [COMPOSING]);
    expect(seen(h, start)).toEqual(['1:4']);
    h.timer.runAll();
    expect(seen(h, start)).toEqual(['1:4', '2:4']);
    expect(await states()).toEqual({ '1': COMPOSING, '2': COMPOSING });
    await call(M, 'SendMessage', [textMessage('typed'), 0]);
    h.timer.runAll();
    expect(seen(h, start)).toEqual(['1:4', '2:4', '2:2', 'echo']);
    expect(await states()).toEqual({ '1': COMPOSING, '2': ACTIVE });
  });

  it('follow a pause, and announce nothing when nothing changes', async () => {
    const h = await startHarness();
    const { call, states } = await chatWith(h, 'bob');
    const start = h.bus.log.length;
    for (const state of [COMPOSING, PAUSED, PAUSED, 1]) await call(CS, 'SetChatState', [state]);
    h.timer.runAll();
    expect(seen(h, start)).toEqual(['1:4', '1:3', '1:1', '2:4', '2:3', '2:1']);
    expect(await states()).toEqual({});
  });

  it('are not mirrored by a contact that cannot receive', async () => {
    const h = await startHarness();
    const { call, states } = await chatWith(h, 'fail@example.com');
    await call(CS, 'SetChatState', [COMPOSING]);
    h.timer.runAll();
    expect(await states()).toEqual({ '1': COMPOSING });
  });

  it.each([
    ['Gone, which is never set explicitly', [0]],
    ['a number that is no state', [5]],
    ['a string', ['composing']],
  ])('refuse %s', async (_what, args) => {
    const h = await startHarness();
    const { call } = await chatWith(h, 'bob');
    expect(await errorOf(call(CS, 'SetChatState', args))).toBe(ErrorNames.InvalidArgument);
  });

  it('keep the property typed as a map of handles to states (a{uu})', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    const { path } = await createChannel(conn, 'bob');
    await h.client.call(conn.busName, path, CS, 'SetChatState', [ACTIVE]);
    expect(await h.client.getAll(conn.busName, path, CS)).toEqual({ ChatStates: tv('a{uu}', { '1': ACTIVE }) });
  });
});
