import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { SignalEvent } from '#sim/telepathy/bus-events.js';
import { connected, createChannel, errorOf, startHarness, tv } from '#test/telepathy/support/harness.js';
import { htmlAndText } from '#test/telepathy/support/message-parts.js';

const M = Iface.Messages;
const part = (contentType: string, content: string, alternative?: string) => ({
  'content-type': tv('s', contentType),
  content: tv('s', content),
  ...(alternative === undefined ? {} : { alternative: tv('s', alternative) }),
});
const contents = (parts: unknown) => (parts as Record<string, TypedValue>[]).slice(1).map((p) => [p['content-type']?.value, p['content']?.value]);

async function chat() {
  const h = await startHarness();
  const conn = await connected(h.client, 'me');
  const { path, props } = await createChannel(conn, 'bob');
  const send = (parts: unknown[]) => h.client.call(conn.busName, path, M, 'SendMessage', [parts, 0]);
  const signalled = (member: string) => h.bus.log.filter((e) => e.kind === 'signal' && e.member === member).map((e) => (e as unknown as { args: unknown[] }).args[0]);
  return { h, props, send, signalled };
}

describe('echo channel: a message with alternatives', () => {
  it('is accepted, sent and echoed as its plain text only: the echo channel supports no HTML', async () => {
    const { h, props, send } = await chat();
    expect(props[`${M}.SupportedContentTypes`]?.value).toEqual(['text/plain']);
    await send(htmlAndText('<b>hi</b> there', 'hi there'));
    h.timer.runAll();
    const signal = (member: string) => h.bus.log.find((e): e is SignalEvent => e.kind === 'signal' && e.member === member)!;
    expect(contents(signal('MessageSent').args[0])).toEqual([['text/plain', 'hi there']]);
    expect(contents(signal('MessageReceived').args[0])).toEqual([['text/plain', 'hi there']]);
  });

  it('refuses HTML with no plain-text alternative, and an alternative group with no text/plain part', async () => {
    const { send } = await chat();
    const refused = (parts: Record<string, TypedValue>[]) => errorOf(send(parts));
    expect(await refused([{}, { 'content-type': tv('s', 'text/html'), content: tv('s', '<b>hi</b>') }])).toBe(ErrorNames.InvalidArgument);
    expect(await refused(htmlAndText('<b>a</b>', 'a').map((p, i) => (i === 2 ? { ...p, 'content-type': tv('s', 'image/png') } : p))))
      .toBe(ErrorNames.InvalidArgument);
  });
});

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
