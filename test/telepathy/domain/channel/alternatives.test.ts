import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import { connected, createChannel, errorOf, startHarness, tv } from '#test/telepathy/support/harness.js';

const M = Iface.Messages;
const part = (contentType: string, content: string, alternative?: string) => ({
  'content-type': tv('s', contentType),
  content: tv('s', content),
  ...(alternative === undefined ? {} : { alternative: tv('s', alternative) }),
});

async function chat() {
  const h = await startHarness();
  const conn = await connected(h.client, 'me');
  const { path } = await createChannel(conn, 'bob');
  const send = (parts: unknown[]) => h.client.call(conn.busName, path, M, 'SendMessage', [parts, 0]);
  const signalled = (member: string) => h.bus.log.filter((e) => e.kind === 'signal' && e.member === member).map((e) => (e as unknown as { args: unknown[] }).args[0]);
  return { h, send, signalled };
}

describe('SendMessage with alternatives', () => {
  it('accepts HTML with a plain-text alternative, and sends and echoes the plain text', async () => {
    const { h, send, signalled } = await chat();
    await send([{}, part('text/html', '<b>hi</b>', 'main'), part('text/plain', 'hi', 'main')]);
    h.timer.runAll();
    const [sent] = signalled('MessageSent') as Record<string, unknown>[][];
    const [echo] = signalled('MessageReceived') as Record<string, unknown>[][];
    expect(sent!.slice(1)).toEqual([{ 'content-type': tv('s', 'text/plain'), content: tv('s', 'hi') }]);
    expect(echo!.slice(1)).toEqual([{ 'content-type': tv('s', 'text/plain'), content: tv('s', 'hi') }]);
  });

  it('keeps the first plain-text alternative of each group, groups in order, beside lone parts', async () => {
    const { h, send, signalled } = await chat();
    await send([{}, part('text/plain', 'one ', 'a'), part('text/plain', 'uno ', 'a'), part('text/plain', 'two'), part('text/html', '<i>3</i>', 'b'), part('text/plain', ' three', 'b')]);
    h.timer.runAll();
    expect(h.bus.log.filter((e) => e.kind === 'signal' && e.member === 'Received').map((e) => (e as unknown as { args: unknown[] }).args[5])).toEqual(['one two three']);
    expect(signalled('MessageSent')).toHaveLength(1);
  });

  it.each([
    ['a group without plain text', [{}, part('text/html', '<b>x</b>', 'main'), part('text/x-markdown', '**x**', 'main')]],
    ['a lone HTML part', [{}, part('text/plain', 'x'), part('text/html', '<b>x</b>')]],
  ])('rejects %s, emitting nothing', async (_what, parts) => {
    const { h, send } = await chat();
    const before = h.bus.log.length;
    expect(await errorOf(send(parts))).toBe(ErrorNames.InvalidArgument);
    expect(h.bus.log.slice(before).map((e) => e.kind)).toEqual(['call', 'error']);
  });
});
