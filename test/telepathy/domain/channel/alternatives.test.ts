import { describe, expect, it } from 'vitest';
import { ErrorNames } from '#telepathy/domain/errors/telepathy-error.js';
import { Iface } from '#telepathy/domain/names/names.js';
import type { TypedValue } from '#telepathy/domain/bus/bus.port.js';
import type { SignalEvent } from '#sim/telepathy/bus-events.js';
import { connected, createChannel, errorOf, startHarness, tv } from '#test/telepathy/support/harness.js';
import { htmlAndText } from '#test/telepathy/support/message-parts.js';

const contents = (parts: unknown) => (parts as Record<string, TypedValue>[]).slice(1).map((p) => [p['content-type']?.value, p['content']?.value]);

describe('echo channel: a message with alternatives', () => {
  it('is accepted, sent and echoed as its plain text only: the echo channel supports no HTML', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    const { path, props } = await createChannel(conn, 'bob');
    expect(props[`${Iface.Messages}.SupportedContentTypes`]?.value).toEqual(['text/plain']);
    await h.client.call(conn.busName, path, Iface.Messages, 'SendMessage', [htmlAndText('<b>hi</b> there', 'hi there'), 0]);
    const signal = (member: string) => h.bus.log.find((e): e is SignalEvent => e.kind === 'signal' && e.member === member)!;
    expect(contents(signal('MessageSent').args[0])).toEqual([['text/plain', 'hi there']]);
    expect(contents(signal('MessageReceived').args[0])).toEqual([['text/plain', 'hi there']]);
  });

  it('refuses HTML with no plain-text alternative, and an alternative group with no text/plain part', async () => {
    const h = await startHarness();
    const conn = await connected(h.client, 'me');
    const { path } = await createChannel(conn, 'bob');
    const send = (parts: Record<string, TypedValue>[]) => errorOf(h.client.call(conn.busName, path, Iface.Messages, 'SendMessage', [parts, 0]));
    expect(await send([{}, { 'content-type': tv('s', 'text/html'), content: tv('s', '<b>hi</b>') }])).toBe(ErrorNames.InvalidArgument);
    expect(await send(htmlAndText('<b>a</b>', 'a').map((p, i) => (i === 2 ? { ...p, 'content-type': tv('s', 'image/png') } : p))))
      .toBe(ErrorNames.InvalidArgument);
  });
});
